package dev.taskq.common.messaging;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The TLS and SASL settings of a Kafka client, read from the service's {@code kafka.*} configuration (the same keys the
 * SmallRye Kafka connector passes to its channels), for the clients a service builds by hand.
 */
public final class KafkaClientSecurity {

    /** The client properties carried over, each read as {@code kafka.<name>}; unset ones are left to Kafka's defaults. */
    public static final List<String> KEYS = List.of(
            "security.protocol",
            "sasl.mechanism",
            "sasl.jaas.config",
            "ssl.truststore.location",
            "ssl.truststore.password",
            "ssl.truststore.type",
            "ssl.keystore.location",
            "ssl.keystore.password",
            "ssl.keystore.type",
            "ssl.key.password",
            "ssl.endpoint.identification.algorithm");

    private KafkaClientSecurity() {}

    /**
     * {@code base} plus every security setting {@code lookup} finds for {@code kafka.<key>} (blank values count as unset).
     * Pass e.g. {@code name -> ConfigProvider.getConfig().getOptionalValue(name, String.class)}.
     */
    public static Map<String, Object> with(Map<String, ?> base, Function<String, Optional<String>> lookup) {
        Map<String, Object> properties = new HashMap<>(base);
        for (String key : KEYS) {
            lookup.apply("kafka." + key).filter(value -> !value.isBlank()).ifPresent(value -> properties.put(key, value));
        }
        return properties;
    }
}
