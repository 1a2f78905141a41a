{{- define "mailplane.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mailplane.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "mailplane.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "mailplane.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "mailplane.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mailplane.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mailplane.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mailplane.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The API and management ports the service listens on (from config, where README names them). */}}
{{- define "mailplane.httpPort" -}}
{{- default "8080" .Values.config.QUARKUS_HTTP_PORT }}
{{- end }}
{{- define "mailplane.managementPort" -}}
{{- default "9000" .Values.config.QUARKUS_MANAGEMENT_PORT }}
{{- end }}

{{/* Whether the chart renders a Secret of its own: only when a value is given explicitly. */}}
{{- define "mailplane.inlineSecret" -}}
{{- if not .Values.secret.existingSecret }}
{{- range $k, $v := .Values.secret.values }}{{ if $v }}true{{ end }}{{ end }}
{{- end }}
{{- end }}

{{/* The least number of replicas: replicaCount, or the autoscaler's minimum. */}}
{{- define "mailplane.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ .Values.autoscaling.minReplicas }}{{ else }}{{ .Values.replicaCount }}{{ end }}
{{- end }}

{{- define "mailplane.properties" -}}
{{- range $brand, $from := .Values.smtpBrandFrom }}
mailplane.smtp.brand-from."{{ $brand }}"={{ $from }}
{{- end }}
{{- range $k, $v := .Values.extraProperties }}
{{ $k }}={{ $v }}
{{- end }}
{{- end }}
