package dev.taskq.dependency.messaging;

import dev.taskq.dependency.config.DependencyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the Kafka cluster answers within a short timeout (Postgres has Agroal's own check). */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    private final Admin admin;
    private final DependencyConfig config;

    public KafkaReadinessCheck(Admin admin, DependencyConfig config) {
        this.admin = admin;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        long timeoutMillis = config.kafkaHealthTimeout().toMillis();
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMillis))
                    .nodes()
                    .get(timeoutMillis, TimeUnit.MILLISECONDS)
                    .size();
            return HealthCheckResponse.named("kafka").up().withData("nodes", nodes).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthCheckResponse.named("kafka").down().withData("reason", "interrupted").build();
        } catch (Exception e) {
            return HealthCheckResponse.named("kafka").down().withData("reason", String.valueOf(e.getMessage())).build();
        }
    }
}
