-- wrk script for bench/mailboxes.sh: POST .../mailboxes, each request with a new_user of a new login.
--   MAILBOX_DOMAIN  the context's domain, for the login and the primary address
--   MAILBOX_RUN     a prefix unique to this run (logins are unique platform-wide)
--   MAILBOX_PASSWORD  the new users' password; unset or empty: the service generates one per user
-- Counts the answers by status and prints them at the end.
local domain = os.getenv("MAILBOX_DOMAIN")
local run = os.getenv("MAILBOX_RUN")
local password = os.getenv("MAILBOX_PASSWORD")
if password == "" then
  password = nil
end
local threads = {}
local sent = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function request()
  sent = sent + 1
  local local_part = string.format("%s-%d-%d", run, tid, sent)
  local login = local_part .. "@" .. domain
  local new_user = password and string.format('{"login":"%s","password":"%s"}', login, password)
      or string.format('{"login":"%s"}', login)
  local body = string.format('{"new_user":%s,"alias":"%s","primary_email_address":"%s","size_limit":1024,'
      .. '"imap4":true,"pop3":false,"owa":true,"mapi":true,"active_sync":true}', new_user, local_part, login)
  -- a headers table of our own replaces wrk.headers: keep the -H ones (Authorization)
  local headers = { ["Content-Type"] = "application/json" }
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  for status, count in pairs(totals) do
    io.write(string.format("answers %d: %d\n", status, count))
  end
end
