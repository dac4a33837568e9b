package dev.taskq.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaClientSecurityTest {

    @Test
    void theServicesTlsAndSaslSettingsAreAddedAndBlankOnesLeftOut() {
        Map<String, String> config = Map.of(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "kafka.ssl.truststore.location", "",
                "kafka.unrelated", "x");

        Map<String, Object> properties = KafkaClientSecurity.with(Map.of("bootstrap.servers", "b:9093"),
                name -> Optional.ofNullable(config.get(name)));

        assertThat(properties).containsOnlyKeys("bootstrap.servers", "security.protocol", "sasl.mechanism", "sasl.jaas.config")
                .containsEntry("security.protocol", "SASL_SSL");
    }
}
