package io.mailplane.deploy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.mailplane.common.MailplaneConfig;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Helm chart {@code helm/mailplane} (README "Deploy"), linted and rendered by Helm itself
 * (helm-java bundles it) with the default values, an existing Secret, the autoscaler off and the
 * ingress on; every rendered document is read with the fabric8 Kubernetes model. The probes are
 * sent to the service under test, and README's settings table is read to check that each setting
 * can be given through the chart.
 */
@QuarkusTest
class HelmChartTest {
    private static final Path CHART = Path.of("helm/mailplane");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final JsonMapper K8S = JsonMapper.builder().build();
    /** The settings that go into the Secret, never into the ConfigMap: the keys of {@code secret.values} in values.yaml. */
    private static final Set<String> SECRET_SETTINGS = secretSettings();

    @TestHTTPResource(value = "health", management = true)
    URL health;

    @Inject
    MailplaneConfig config;

    /** What {@code helm template} rendered, one entry per document, parsed by the fabric8 model. */
    record Rendered(List<GenericKubernetesResource> documents) {
        GenericKubernetesResource one(String kind) {
            List<GenericKubernetesResource> of = all(kind);
            assertEquals(1, of.size(), "one " + kind + " in " + kinds());
            return of.get(0);
        }

        List<GenericKubernetesResource> all(String kind) {
            return documents.stream().filter(d -> kind.equals(d.getKind())).toList();
        }

        List<String> kinds() {
            return documents.stream().map(GenericKubernetesResource::getKind).toList();
        }

        <T> T as(String kind, Class<T> type) {
            return K8S.convertValue(K8S.convertValue(one(kind), Map.class), type);
        }

        PodTemplateSpec podTemplate() {
            return K8S.convertValue(spec("Deployment").get("template"), PodTemplateSpec.class);
        }

        Container container() {
            List<Container> containers = podTemplate().getSpec().getContainers();
            assertEquals(1, containers.size());
            return containers.get(0);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> spec(String kind) {
            return (Map<String, Object>) one(kind).getAdditionalProperties().get("spec");
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> secretSettings() {
        try {
            Map<String, Object> chartValues = YAML.readerFor(Map.class).readValue(CHART.resolve("values.yaml").toFile());
            Set<String> names = ((Map<String, Object>) ((Map<String, Object>) chartValues.get("secret")).get("values")).keySet();
            assertTrue(names.containsAll(List.of("DB_PASSWORD", "MAILPLANE_MASTER_PASSWORD", "MAILPLANE_CRYPTO_KEY")), names.toString());
            return Set.copyOf(names);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Rendered render(Map<String, Object> values) throws IOException {
        Path file = Files.createTempFile("mailplane-values", ".yaml");
        try {
            YAML.writeValue(file.toFile(), values);
            String out = new Helm(CHART).template().withName("mp").withNamespace("mail").withValuesFile(file).call();
            List<GenericKubernetesResource> documents = new ArrayList<>();
            for (Object doc : YAML.readerFor(Object.class).readValues(new YAMLFactory().createParser(out)).readAll()) {
                if (doc == null) {
                    continue;
                }
                GenericKubernetesResource resource = K8S.convertValue(doc, GenericKubernetesResource.class);
                assertNotNull(resource.getApiVersion(), "apiVersion of " + doc);
                assertNotNull(resource.getKind(), "kind of " + doc);
                assertNotNull(resource.getMetadata().getName(), "metadata.name of " + doc);
                documents.add(resource);
            }
            return new Rendered(documents);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static Map<String, Object> values(Object... keysAndValues) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            root.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return root;
    }

    /** The four value sets the issue names: defaults, an existing Secret, no autoscaler, an ingress. */
    static Map<String, Map<String, Object>> variants() {
        Map<String, Map<String, Object>> variants = new LinkedHashMap<>();
        variants.put("default values", values());
        variants.put("existingSecret", values("secret", Map.of("existingSecret", "mailplane-secrets")));
        variants.put("HPA off", values("autoscaling", Map.of("enabled", false), "replicaCount", 3));
        variants.put("ingress on", values("ingress", Map.of("enabled", true, "className", "nginx"),
                "serviceMonitor", Map.of("enabled", true), "networkPolicy", Map.of("enabled", true)));
        return variants;
    }

    @Test
    void theChartPassesHelmLintInStrictMode() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void everyVariantRendersOnlyDocumentsTheKubernetesModelReads() throws IOException {
        for (var variant : variants().entrySet()) {
            Rendered r = render(variant.getValue());
            assertTrue(r.kinds().containsAll(List.of("Deployment", "Service", "ConfigMap", "PodDisruptionBudget", "ServiceAccount")),
                    variant.getKey() + ": " + r.kinds());
            r.as("Service", Service.class);
            r.as("ConfigMap", ConfigMap.class);
            // the pod template is read field by field: a misspelt field would land in additionalProperties
            PodTemplateSpec pod = r.podTemplate();
            assertTrue(pod.getSpec().getAdditionalProperties().isEmpty(), variant.getKey() + ": " + pod.getSpec().getAdditionalProperties());
            assertTrue(r.container().getAdditionalProperties().isEmpty(), variant.getKey() + ": " + r.container().getAdditionalProperties());
        }
        assertEquals(List.of(), render(variants().get("HPA off")).all("HorizontalPodAutoscaler"));
        assertEquals(1, render(variants().get("ingress on")).all("Ingress").size());
        assertEquals(1, render(variants().get("ingress on")).all("ServiceMonitor").size());
        assertEquals(1, render(variants().get("ingress on")).all("NetworkPolicy").size());
    }

    @Test
    void theProbesAskTheHealthEndpointsTheServiceAnswersOnItsManagementPort() throws IOException {
        Rendered r = render(values());
        Container c = r.container();
        int managementPort = c.getPorts().stream().filter(p -> "management".equals(p.getName()))
                .mapToInt(ContainerPort::getContainerPort).findFirst().orElseThrow();
        // the port the service binds its management interface to outside tests (application.properties)
        assertEquals(9000, managementPort);
        assertTrue(Files.readAllLines(Path.of("src/main/resources/application.properties"))
                        .contains("quarkus.management.port=${QUARKUS_MANAGEMENT_PORT:9000}"),
                "application.properties takes the management port from QUARKUS_MANAGEMENT_PORT, default 9000");
        String base = health.getProtocol() + "://" + health.getHost() + ":" + health.getPort();
        Map<String, Probe> probes = Map.of("startup", c.getStartupProbe(), "liveness", c.getLivenessProbe(), "readiness", c.getReadinessProbe());
        Map<String, String> expected = Map.of("startup", "/q/health/started", "liveness", "/q/health/live", "readiness", "/q/health/ready");
        for (var probe : probes.entrySet()) {
            assertNotNull(probe.getValue(), probe.getKey() + " probe");
            assertEquals("management", probe.getValue().getHttpGet().getPort().getStrVal(), probe.getKey());
            String path = probe.getValue().getHttpGet().getPath();
            assertEquals(expected.get(probe.getKey()), path);
            given().get(base + path).then().statusCode(200).body("status", equalTo("UP"));
        }
        // readiness includes the cross-replica invalidation poll
        given().get(base + "/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("Cross-replica invalidation poll"));
        // the Service reaches the named ports
        Service service = r.as("Service", Service.class);
        assertEquals(Set.of("http", "management"),
                Set.copyOf(service.getSpec().getPorts().stream().map(p -> p.getTargetPort().getStrVal()).toList()));
    }

    @Test
    void theDefaultValuesRenderNoSecretValueAndAnExistingSecretIsOnlyReferenced() throws IOException {
        Rendered defaults = render(values());
        assertEquals(List.of(), defaults.all("Secret"));
        ConfigMap configMap = defaults.as("ConfigMap", ConfigMap.class);
        for (String name : SECRET_SETTINGS) {
            assertFalse(configMap.getData().containsKey(name), name + " in the ConfigMap");
        }
        assertTrue(defaults.container().getEnv().stream().noneMatch(e -> SECRET_SETTINGS.contains(e.getName())));
        assertTrue(defaults.container().getEnvFrom().stream().allMatch(e -> e.getSecretRef() == null));

        Rendered existing = render(variants().get("existingSecret"));
        assertEquals(List.of(), existing.all("Secret"));
        assertEquals(List.of("mailplane-secrets"), existing.container().getEnvFrom().stream()
                .map(EnvFromSource::getSecretRef).filter(s -> s != null).map(s -> s.getName()).toList());

        // only values given explicitly are rendered inline
        Rendered inline = render(values("secret", Map.of("existingSecret", "", "values", Map.of("MAILPLANE_MASTER_PASSWORD", "given"))));
        Secret secret = inline.as("Secret", Secret.class);
        assertEquals(Set.of("MAILPLANE_MASTER_PASSWORD"), secret.getData().keySet());
    }

    @Test
    void theDisruptionBudgetAlwaysLeavesAReplicaAnswering() throws IOException {
        Rendered defaults = render(values());
        int minReplicas = ((Number) defaults.spec("HorizontalPodAutoscaler").get("minReplicas")).intValue();
        assertTrue(minReplicas >= 2, "at least two replicas by default");
        assertNull(defaults.spec("Deployment").get("replicas"), "the autoscaler owns the replica count");
        assertTrue(((Number) defaults.spec("PodDisruptionBudget").get("maxUnavailable")).intValue() < minReplicas);

        Rendered fixed = render(variants().get("HPA off"));
        int replicas = ((Number) fixed.spec("Deployment").get("replicas")).intValue();
        assertEquals(3, replicas);
        assertTrue(((Number) fixed.spec("PodDisruptionBudget").get("maxUnavailable")).intValue() < replicas);
        @SuppressWarnings("unchecked")
        Map<String, Object> selector = (Map<String, Object>) fixed.spec("PodDisruptionBudget").get("selector");
        assertEquals(fixed.podTemplate().getMetadata().getLabels().entrySet().containsAll(
                ((Map<?, ?>) selector.get("matchLabels")).entrySet()), true, "the budget selects the Deployment's pods");

        // a budget that would let a drain stop every replica does not render
        Exception refused = assertThrows(Exception.class, () -> render(values("autoscaling", Map.of("enabled", false), "replicaCount", 2,
                "podDisruptionBudget", Map.of("enabled", true, "maxUnavailable", 2))));
        assertTrue(refused.getMessage().contains("maxUnavailable"), refused.getMessage());
    }

    @Test
    void theReplicasRunNonRootOnAReadOnlyFilesystemAndOutlastTheLongestRequestWhenStopping() throws IOException {
        Rendered r = render(values());
        Container c = r.container();
        assertEquals(Boolean.TRUE, c.getSecurityContext().getRunAsNonRoot());
        assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> "/tmp".equals(m.getMountPath())), "/tmp is writable");
        assertNotNull(r.podTemplate().getSpec().getVolumes().stream().filter(v -> "tmp".equals(v.getName())).findFirst().orElseThrow().getEmptyDir());
        assertNotNull(c.getResources().getRequests().get("cpu"));
        assertNotNull(c.getResources().getLimits().get("memory"));
        @SuppressWarnings("unchecked")
        Map<String, Object> rolling = (Map<String, Object>) ((Map<String, Object>) r.spec("Deployment").get("strategy")).get("rollingUpdate");
        assertEquals(0, ((Number) rolling.get("maxUnavailable")).intValue());

        // the longest request: a mail-account save verifies two sides, each up to connect + 2 reads, after the queue wait
        MailplaneConfig.MailAccounts m = config.mailaccounts();
        Duration longest = m.connectTimeout().plus(m.readTimeout().multipliedBy(2)).multipliedBy(2).plus(m.verify().queueWait());
        ConfigMap configMap = r.as("ConfigMap", ConfigMap.class);
        Duration shutdown = Duration.parse("PT" + configMap.getData().get("QUARKUS_SHUTDOWN_TIMEOUT"));
        assertTrue(shutdown.compareTo(longest) > 0, shutdown + " after SIGTERM for requests of up to " + longest);
        long preStop = Long.parseLong(c.getLifecycle().getPreStop().getExec().getCommand().get(1));
        long grace = r.podTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertTrue(grace > preStop + shutdown.toSeconds(), "grace " + grace + " s");
    }

    @Test
    void theIngressSendsRequestsToTheApiPortOnly() throws IOException {
        Rendered r = render(variants().get("ingress on"));
        String json = K8S.writeValueAsString(r.one("Ingress"));
        assertTrue(json.contains("\"name\":\"http\""), json);
        assertFalse(json.contains("management"), json);
        Service service = r.as("Service", Service.class);
        assertTrue(service.getSpec().getPorts().stream().map(ServicePort::getName).anyMatch("http"::equals));
    }

    @Test
    void everySettingOfTheReadmeCanBeGivenThroughTheChartValues() throws IOException {
        Map<String, Object> chartValues = YAML.readerFor(Map.class).readValue(CHART.resolve("values.yaml").toFile());
        @SuppressWarnings("unchecked")
        Map<String, Object> configKeys = (Map<String, Object>) chartValues.get("config");
        @SuppressWarnings("unchecked")
        Map<String, Object> secretKeys = (Map<String, Object>) ((Map<String, Object>) chartValues.get("secret")).get("values");

        Set<String> variables = new LinkedHashSet<>();
        boolean brandFrom = false;
        String readme = Files.readString(Path.of("README.md"));
        String settings = readme.substring(readme.indexOf("## Settings"), readme.indexOf("\n## ", readme.indexOf("## Settings") + 5));
        Matcher row = Pattern.compile("(?m)^\\| (`[^|]+`) \\|").matcher(settings);
        while (row.find()) {
            for (String part : row.group(1).split(" / ")) {
                String name = part.replace("`", "").trim();
                if (name.startsWith("mailplane.smtp.brand-from.")) {
                    brandFrom = true;
                } else {
                    variables.add(name);
                }
            }
        }
        assertTrue(variables.size() > 40, "README's table was read: " + variables);
        assertTrue(brandFrom);

        // each variable is a key of config (or, if secret, of secret.values), and reaches the pod
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, Object> secrets = new LinkedHashMap<>();
        for (String name : variables) {
            if (SECRET_SETTINGS.contains(name)) {
                assertTrue(secretKeys.containsKey(name), name + " in secret.values of values.yaml");
                secrets.put(name, "secret-" + name);
            } else {
                assertTrue(configKeys.containsKey(name), name + " in config of values.yaml");
                config.put(name, switch (name) {
                    case "DB_URL" -> "jdbc:mysql://db.example:3306/probe";
                    case "QUARKUS_HTTP_PORT" -> "18080";
                    case "QUARKUS_MANAGEMENT_PORT" -> "19000";
                    case "MAILPLANE_SMTP_TLS" -> "starttls";
                    case "MAILPLANE_LOG_JSON" -> "false";
                    default -> "probe-" + name;
                });
            }
        }
        Rendered r = render(values("config", config, "secret", Map.of("existingSecret", "", "values", secrets),
                "smtpBrandFrom", Map.of("acme.brand", "Acme <noreply@acme.example>")));
        ConfigMap configMap = r.as("ConfigMap", ConfigMap.class);
        Secret secret = r.as("Secret", Secret.class);
        for (var e : config.entrySet()) {
            assertEquals(e.getValue(), configMap.getData().get(e.getKey()), e.getKey());
        }
        for (String name : secrets.keySet()) {
            assertTrue(secret.getData().containsKey(name), name + " in the Secret");
        }
        assertTrue(configMap.getData().get("application.properties")
                .contains("mailplane.smtp.brand-from.\"acme.brand\"=Acme <noreply@acme.example>"));
        assertTrue(r.container().getEnvFrom().stream().anyMatch(e -> e.getConfigMapRef() != null));
        assertTrue(r.container().getEnvFrom().stream().anyMatch(e -> e.getSecretRef() != null));
        assertTrue(r.container().getVolumeMounts().stream().anyMatch(m -> "/deployments/config".equals(m.getMountPath())),
                "the properties file is where Quarkus reads config/application.properties");
        assertEquals(List.of(18080, 19000), r.container().getPorts().stream().map(ContainerPort::getContainerPort).toList());
    }

    @Test
    void valuesTheSchemaRefusesFailBeforeAnythingIsRendered() {
        Exception notANumber = assertThrows(Exception.class, () -> render(values("replicaCount", "two")));
        assertTrue(notANumber.getMessage().contains("replicaCount"), notANumber.getMessage());
        Exception secretInConfigMap = assertThrows(Exception.class, () -> render(values("config", Map.of("DB_PASSWORD", "plain"))));
        assertTrue(secretInConfigMap.getMessage().contains("config"), secretInConfigMap.getMessage());
        Exception typo = assertThrows(Exception.class, () -> render(values("replicas", 3)));
        assertTrue(typo.getMessage().contains("replicas"), typo.getMessage());
    }
}
