package dev.taskq.systemtests.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.taskq.localinfra.stack.LocalStack;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files are checked without a cluster or a Docker engine: the kustomize overlay renders into
 * typed Kubernetes objects with no unknown field, the optional components are consistent with the worker, and
 * docker-compose.yml only names files, services and settings that exist.
 */
class DeploymentManifestsTest {

    private static final Path REPO = Path.of(System.getProperty("taskq.repo-root", "..")).toAbsolutePath().normalize();
    private static final Map<String, Class<? extends HasMetadata>> TYPED = Map.of(
            "Namespace", Namespace.class,
            "ConfigMap", ConfigMap.class,
            "Secret", Secret.class,
            "Service", Service.class,
            "Deployment", Deployment.class,
            "PodDisruptionBudget", PodDisruptionBudget.class);
    private static final Set<String> TASKQ_MODULES =
            Set.of("api-gateway", "dependency-service", "worker-agent", "scheduler-service", "notifier-service");

    /**
     * fabric8's models keep unknown fields in an any-setter map; without it, Jackson's FAIL_ON_UNKNOWN_PROPERTIES
     * makes a misspelt field (e.g. terminationGracePeriod) an error, as the API server's strict validation would.
     */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .registerModule(new SimpleModule().setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                        BeanDeserializerBuilder builder) {
                    if (bean.getBeanClass().getName().startsWith("io.fabric8.kubernetes.api.model")
                            && bean.getBeanClass() != GenericKubernetesResource.class) {
                        builder.setAnySetter(null);
                    }
                    return builder;
                }
            }));

    @Test
    void theExampleOverlayRendersIntoTypedKubernetesObjectsWithoutUnknownFields() throws Exception {
        List<HasMetadata> objects = typed(render(REPO.resolve("deploy/k8s/overlays/example")));

        assertThat(objects).extracting(HasMetadata::getKind)
                .contains("Namespace", "ConfigMap", "Secret", "Service", "Deployment", "PodDisruptionBudget");
        assertThat(deployments(objects)).extracting(d -> d.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(TASKQ_MODULES);
        for (Deployment deployment : deployments(objects)) {
            assertThat(deployment.getMetadata().getNamespace()).isEqualTo("taskq");
            Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
            String name = deployment.getMetadata().getName();
            assertThat(annotations).as(name).containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path", "/q/metrics");
            assertThat(Integer.parseInt(annotations.get("prometheus.io/port"))).as(name)
                    .isEqualTo(container.getPorts().getFirst().getContainerPort());
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).as(name).isEqualTo("/q/health/ready");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).as(name).isEqualTo("/q/health/live");
            assertThat(container.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).as(name)
                    .containsEntry("app.kubernetes.io/part-of", "taskq");
            Set<String> readable = ServiceConfigNames.envNamesReadBy(REPO, container.getName());
            assertThat(container.getEnv()).extracting(EnvVar::getName).as("env of " + name + " it does not read")
                    .allSatisfy(env -> assertThat(readable).contains(env));
            Set<String> given = new HashSet<>(container.getEnv().stream().map(EnvVar::getName).toList());
            if (container.getEnvFrom() != null) {
                container.getEnvFrom().stream().filter(source -> source.getConfigMapRef() != null)
                        .forEach(source -> given.addAll(configMapKeys(objects, source.getConfigMapRef().getName())));
            }
            assertThat(given).as(name + " is given every infrastructure setting it reads").containsAll(infrastructureSettings(readable));
        }
    }

    @Test
    void aWorkerGetsItsWholeDrainBeforeKubernetesKillsItAndIsEvictedOneAtATime() throws Exception {
        List<HasMetadata> objects = typed(render(REPO.resolve("deploy/k8s/overlays/example")));
        Deployment worker = deployments(objects).stream().filter(d -> d.getMetadata().getName().equals("worker-agent")).findFirst().orElseThrow();
        Container container = worker.getSpec().getTemplate().getSpec().getContainers().getFirst();

        List<String> preStop = container.getLifecycle().getPreStop().getExec().getCommand();
        assertThat(preStop).first().isEqualTo("sleep");
        Duration preStopSleep = Duration.ofSeconds(Long.parseLong(preStop.get(1)));
        Duration shutdownGrace = Duration.parse("PT" + env(container, "TASKQ_WORKER_SHUTDOWN_GRACE").toUpperCase());
        Duration terminationGrace = Duration.ofSeconds(worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
        // After the sessions' grace the worker hands back what still runs (kill grace, checkpoint, Kafka ack) and stops.
        assertThat(terminationGrace).isGreaterThanOrEqualTo(preStopSleep.plus(shutdownGrace).plusSeconds(35));

        PodDisruptionBudget budget = objects.stream().filter(PodDisruptionBudget.class::isInstance).map(PodDisruptionBudget.class::cast)
                .findFirst().orElseThrow();
        assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(worker.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    }

    @Test
    void theKedaAndPodMonitorComponentsTargetTheWorkersConsumerGroupAndEveryPod() throws Exception {
        Path overlay = Files.createDirectories(REPO.resolve("system-tests/target/kustomize-components"));
        Path components = REPO.resolve("deploy/k8s/components");
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: taskq
                resources: [%s]
                components: [%s, %s]
                """.formatted(overlay.relativize(REPO.resolve("deploy/k8s/overlays/example")),
                overlay.relativize(components.resolve("keda")), overlay.relativize(components.resolve("podmonitor"))));
        List<Map<String, Object>> rendered = render(overlay);
        List<HasMetadata> objects = typed(rendered.stream().filter(o -> TYPED.containsKey(o.get("kind"))).toList());
        Deployment worker = deployments(objects).stream().filter(d -> d.getMetadata().getName().equals("worker-agent")).findFirst().orElseThrow();
        GenericKubernetesResource scaledObject = generic(rendered, "ScaledObject");
        GenericKubernetesResource podMonitor = generic(rendered, "PodMonitor");

        assertThat(scaledObject.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
        assertThat((String) scaledObject.get("spec", "scaleTargetRef", "name")).isEqualTo(worker.getMetadata().getName());
        Map<String, Object> trigger = scaledObject.<List<Map<String, Object>>>get("spec", "triggers").getFirst();
        assertThat(trigger).containsEntry("type", "kafka");
        @SuppressWarnings("unchecked")
        Map<String, Object> kafka = (Map<String, Object>) trigger.get("metadata");
        // The names the worker uses with the default prefix (ConsumerGroups, TopicNames).
        assertThat(kafka).containsEntry("consumerGroup", "taskq.worker-agents")
                .containsEntry("topic", "taskq.tasks.p0,taskq.tasks.p1,taskq.tasks.p2,taskq.tasks.p3");
        Container container = worker.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(kafka.get("lagThreshold")).as("one pod absorbs as many records as it has slots")
                .isEqualTo(env(container, "TASKQ_WORKER_SLOTS"));

        assertThat(podMonitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        Map<String, String> selector = podMonitor.get("spec", "selector", "matchLabels");
        List<Map<String, Object>> endpoints = podMonitor.get("spec", "podMetricsEndpoints");
        assertThat(endpoints.getFirst()).containsEntry("port", "http").containsEntry("path", "/q/metrics");
        for (Deployment deployment : deployments(objects)) {
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).as(deployment.getMetadata().getName())
                    .containsAllEntriesOf(selector);
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getPorts())
                    .anySatisfy(port -> assertThat(port.getName()).isEqualTo("http"));
        }
    }

    @Test
    void theStrictMapperRejectsAMisspeltField() {
        Map<String, Object> deployment = new Yaml().load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      terminationGracePeriod: 30
                      containers: [{name: x, image: x}]
                """);

        assertThatThrownBy(() -> typed(List.of(deployment))).hasMessageContaining("terminationGracePeriod");
    }

    @Test
    void theWorkerImageRunsTheLeanJvmFlagsTheLocalStackMeasures() throws IOException {
        String dockerfile = Files.readString(REPO.resolve("deploy/docker/Dockerfile.worker"));
        Matcher javaOpts = Pattern.compile("JAVA_OPTS=\"([^\"]*)\"").matcher(dockerfile);
        assertThat(javaOpts.find()).as("Dockerfile.worker sets JAVA_OPTS").isTrue();
        List<String> imageOptions = List.of(javaOpts.group(1).trim().split("\\s+"));

        // The heap ceiling differs on purpose: a share of the container's memory there, a fixed one locally.
        assertThat(imageOptions).containsAll(LocalStack.workerJvmOptions().stream()
                .filter(option -> !option.startsWith("-Xmx")).toList());
        assertThat(imageOptions).anyMatch(option -> option.startsWith("-XX:MaxRAMPercentage="));
        LocalStack.workerEnvironment().forEach((name, value) ->
                assertThat(dockerfile).as("Dockerfile.worker sets " + name).containsPattern("(?m)^\\s*(ENV )?" + name + "=" + value + "\\b"));
    }

    @Test
    void dockerComposeNamesOnlyFilesServicesAndSettingsThatExist() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(REPO.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = map(compose.get("services"));

        assertThat(services).containsKeys("postgres", "kafka", "prometheus", "grafana");
        Set<String> modules = new TreeSet<>();
        Map<String, Integer> httpPorts = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> entry : services.entrySet()) {
            String name = entry.getKey();
            Map<String, Object> service = entry.getValue();
            assertThat(service.containsKey("image") || service.containsKey("build")).as(name + " has an image or a build").isTrue();
            for (String target : map(service.getOrDefault("depends_on", Map.of())).keySet()) {
                assertThat(services).as(name + " depends on " + target).containsKey(target);
            }
            for (Object port : (List<?>) service.getOrDefault("ports", List.of())) {
                assertThat(port.toString()).as(name + " port").matches("\\d+:\\d+");
            }
            for (Object volume : (List<?>) service.getOrDefault("volumes", List.of())) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(REPO.resolve(source)).as(name + " mounts " + source).exists();
                }
            }
            if (service.get("build") instanceof Map<?, ?> build) {
                assertThat(REPO.resolve(String.valueOf(build.get("context"))).resolve(String.valueOf(build.get("dockerfile"))))
                        .as(name + "'s Dockerfile").isRegularFile();
                Object args = build.get("args");
                String module = args instanceof Map<?, ?> a && a.get("SERVICE") != null ? a.get("SERVICE").toString() : name;
                assertThat(TASKQ_MODULES).as(name + " builds a taskq module").contains(module);
                assertThat(name).isEqualTo(module);
                modules.add(module);
                Map<String, Object> env = map(service.getOrDefault("environment", Map.of()));
                Set<String> readable = ServiceConfigNames.envNamesReadBy(REPO, module);
                assertThat(env.keySet()).as("env of " + name + " it does not read").allSatisfy(key -> assertThat(readable).contains(key));
                assertThat(env.keySet()).as(name + " is given every infrastructure setting it reads")
                        .containsAll(infrastructureSettings(readable));
                env.entrySet().stream().filter(e -> e.getKey().endsWith("_HTTP_PORT"))
                        .forEach(e -> httpPorts.put(name, Integer.parseInt(e.getValue().toString())));
            }
        }
        assertThat(modules).isEqualTo(TASKQ_MODULES);

        // Every variable the file takes from .env is documented in .env.example.
        String envExample = Files.readString(REPO.resolve(".env.example"));
        Matcher variable = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)").matcher(Files.readString(REPO.resolve("docker-compose.yml")));
        while (variable.find()) {
            assertThat(envExample).as(".env.example documents " + variable.group(1)).containsPattern("(?m)^" + variable.group(1) + "=");
        }

        // Prometheus scrapes each taskq service by its compose name on the port the service listens on.
        Map<String, Object> prometheus = new Yaml().load(Files.readString(REPO.resolve("deploy/prometheus/prometheus.yml")));
        Map<String, String> targets = new LinkedHashMap<>();
        for (Map<String, Object> job : this.<List<Map<String, Object>>>cast(prometheus.get("scrape_configs"))) {
            assertThat(job).containsEntry("metrics_path", "/q/metrics");
            List<Map<String, Object>> staticConfigs = cast(job.getOrDefault("static_configs", List.of()));
            staticConfigs.forEach(c -> this.<List<String>>cast(c.get("targets")).forEach(t -> targets.put(job.get("job_name").toString(), t)));
            List<Map<String, Object>> dns = cast(job.getOrDefault("dns_sd_configs", List.of()));
            dns.forEach(c -> targets.put(job.get("job_name").toString(), this.<List<String>>cast(c.get("names")).getFirst() + ":" + c.get("port")));
        }
        assertThat(targets.keySet()).containsExactlyInAnyOrderElementsOf(TASKQ_MODULES);
        targets.forEach((job, target) -> {
            assertThat(services).as("scrape target " + target).containsKey(target.split(":")[0]);
            assertThat(Integer.parseInt(target.split(":")[1])).as("port of " + job).isEqualTo(httpPorts.get(target.split(":")[0]));
        });
    }

    private static List<Map<String, Object>> render(Path kustomization) throws Exception {
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", kustomization.toString()).redirectErrorStream(false).start();
        } catch (IOException absent) {
            assumeTrue(false, "kubectl is not installed: the kustomize rendering is not checked");
            throw absent;
        }
        byte[] out = kubectl.getInputStream().readAllBytes();
        String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue()).as("kubectl kustomize: " + err).isZero();
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(new String(out, StandardCharsets.UTF_8))) {
            if (document != null) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    private static List<HasMetadata> typed(List<Map<String, Object>> documents) {
        List<HasMetadata> objects = new ArrayList<>();
        for (Map<String, Object> document : documents) {
            Class<? extends HasMetadata> type = TYPED.get(String.valueOf(document.get("kind")));
            assertThat(type).as("a typed model for kind " + document.get("kind")).isNotNull();
            objects.add(STRICT.convertValue(document, type));
        }
        return objects;
    }

    private static GenericKubernetesResource generic(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).findFirst()
                .map(d -> new ObjectMapper().convertValue(d, GenericKubernetesResource.class))
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
    }

    private static List<Deployment> deployments(List<HasMetadata> objects) {
        return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).toList();
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " sets no " + name));
    }

    @SuppressWarnings("unchecked")
    private static <T> Map<String, T> map(Object yaml) {
        return (Map<String, T>) yaml;
    }

    @SuppressWarnings("unchecked")
    private <T> T cast(Object yaml) {
        return (T) yaml;
    }

    /**
     * The settings whose defaults point at this machine (127.0.0.1 / localhost), which is wrong inside a container:
     * a service that reads one must be given it explicitly.
     */
    private static Set<String> infrastructureSettings(Set<String> readable) {
        Set<String> needed = new HashSet<>(Set.of("DB_URL", "DB_USER", "DB_PASSWORD", "KAFKA_BOOTSTRAP_SERVERS"));
        needed.retainAll(readable);
        return needed;
    }

    private static Set<String> configMapKeys(List<HasMetadata> objects, String name) {
        return objects.stream()
                .filter(object -> object instanceof ConfigMap && name.equals(object.getMetadata().getName()))
                .flatMap(object -> ((ConfigMap) object).getData().keySet().stream())
                .collect(Collectors.toSet());
    }
}
