-- wrk script for bench/throttle.sh: wrong-password requests (HTTP Basic) at a fixed rate.
--   ATTACK_RATE   requests/s of each wrk thread. Every request takes the next free slot of the
--                 thread's schedule, whatever the answers' latency, as long as a connection is free
--                 (so give wrk more connections than rate x latency).
--   ATTACK_LOGIN  the login to guess passwords for; unset or empty: a new unknown login every request
-- Prints how many answers of each status the attack got.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *now);
]]
local CLOCK_MONOTONIC = 1
local interval = 1000 / tonumber(os.getenv("ATTACK_RATE") or "200")
local login = os.getenv("ATTACK_LOGIN")
if login == "" then
  login = nil
end
local clock = ffi.new("bench_timespec")
local next_slot = 0
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local threads = {}
local sent = 0

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local function sextet(n)
  return alphabet:sub(n + 1, n + 1)
end

local function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    out[#out + 1] = sextet(math.floor(n / 262144) % 64) .. sextet(math.floor(n / 4096) % 64)
      .. (b and sextet(math.floor(n / 64) % 64) or "=") .. (c and sextet(n % 64) or "=")
  end
  return table.concat(out)
end

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function delay()
  local now = now_ms()
  next_slot = math.max(next_slot + interval, now)
  return math.floor(next_slot - now)
end

function request()
  sent = sent + 1
  local user = login or string.format("spray%d-%d-%d@nowhere.example", tid, os.time(), sent)
  local credentials = user .. ":wrong-" .. tid .. "-" .. sent
  return wrk.format(nil, nil, { ["Authorization"] = "Basic " .. base64(credentials) })
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
    io.write(string.format("attack answers %d: %d\n", status, count))
  end
end
