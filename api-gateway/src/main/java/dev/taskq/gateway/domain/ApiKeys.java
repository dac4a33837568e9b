package dev.taskq.gateway.domain;

import dev.taskq.gateway.api.BearerTokens;
import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.gateway.persistence.ApiKeyStore;
import dev.taskq.gateway.persistence.ApiKeyStore.StoredKey;
import dev.taskq.gateway.persistence.ListCursor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys: creating one (its secret returned once), listing, revoking, and authenticating a presented secret. A looked
 * up secret is cached per replica for {@code taskq.api.keys.cache-ttl}, so most requests touch no table.
 */
@ApplicationScoped
public class ApiKeys {

    /** A key just created, with the secret its creator sees this once. */
    public record Created(StoredKey key, String secret) {}

    /** What an admin asks for when creating a key; null limits mean the configured defaults. */
    public record Draft(String name, String role, List<String> pools, Instant expiresAt, Double requestsPerSecond,
                        Integer maxRunningTasks, BigDecimal dailyBudgetUsd) {}

    private record Cached(Optional<Caller> caller, Instant keyExpiresAt, long validUntilNanos) {}

    static final int NAME_MAX = 100;
    static final int POOL_MAX = 100;
    // Unknown secrets are cached too (so a flood of guesses does not reach Postgres), but never more than this many.
    private static final int CACHE_MAX = 10_000;

    private final ApiKeyStore store;
    private final BearerTokens bootstrap;
    private final KeySecrets secrets;
    private final Audit audit;
    private final CurrentCaller caller;
    private final long ttlNanos;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ApiKeys(ApiKeyStore store, BearerTokens bootstrap, GatewayConfig config, Audit audit, CurrentCaller caller) {
        this.store = store;
        this.bootstrap = bootstrap;
        this.secrets = new KeySecrets(config.keys().pepper().orElse(null));
        this.audit = audit;
        this.caller = caller;
        this.ttlNanos = config.keys().cacheTtl().toNanos();
    }

    /**
     * The caller {@code token} authenticates, if the answer is at hand without a database read: a bootstrap token, or a
     * secret looked up less than the cache TTL ago. Null means "look it up" with {@link #authenticate}.
     */
    public Optional<Caller> authenticateCached(String token) {
        if (bootstrap.accepts(token)) {
            return Optional.of(Caller.bootstrap(BearerTokens.principalOf(token)));
        }
        Cached cached = cache.get(cacheKey(token));
        if (cached == null || System.nanoTime() - cached.validUntilNanos() > 0) {
            return null;
        }
        if (cached.keyExpiresAt() != null && !cached.keyExpiresAt().isAfter(Instant.now())) {
            return Optional.empty();
        }
        return cached.caller();
    }

    /** The caller {@code token} authenticates: empty for an unknown, expired or revoked key. Reads the database. */
    public Optional<Caller> authenticate(String token) {
        Optional<Caller> cached = authenticateCached(token);
        if (cached != null) {
            return cached;
        }
        Instant now = Instant.now();
        Optional<StoredKey> key = token.startsWith(KeySecrets.PREFIX) ? store.findByHash(secrets.hash(token)) : Optional.empty();
        Optional<Caller> caller = key.filter(found -> found.usableAt(now)).map(found -> new Caller(found.id(), found.name(),
                found.role(), found.pools(), "key:" + found.id(), found.limits()));
        caller.ifPresent(found -> store.touch(found.keyId(), now));
        if (cache.size() >= CACHE_MAX) {
            cache.clear();
        }
        cache.put(cacheKey(token), new Cached(caller, key.map(StoredKey::expiresAt).orElse(null), System.nanoTime() + ttlNanos));
        return caller;
    }

    /** Creates a key; the secret is in the result and nowhere else. Throws InvalidRequestException naming each bad field. */
    @Transactional
    public Created create(Draft draft) {
        List<FieldError> errors = new ArrayList<>();
        Role role = null;
        if (draft.name() == null || draft.name().isBlank()) {
            errors.add(new FieldError("name", "is required: who or what the key is for"));
        } else if (draft.name().length() > NAME_MAX || draft.name().chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("name", "must be at most " + NAME_MAX + " printable characters"));
        }
        if (draft.role() == null) {
            errors.add(new FieldError("role", "is required: one of " + Role.choices()));
        } else {
            role = Role.fromWire(draft.role()).orElse(null);
            if (role == null) {
                errors.add(new FieldError("role", "must be one of " + Role.choices()));
            }
        }
        List<String> pools = draft.pools() == null ? List.of() : draft.pools();
        for (int i = 0; i < pools.size(); i++) {
            String pool = pools.get(i);
            if (pool == null || pool.isBlank() || pool.length() > POOL_MAX || pool.chars().anyMatch(Character::isISOControl)) {
                errors.add(new FieldError("pools[" + i + "]", "must be a pool name of 1 to " + POOL_MAX + " printable characters"));
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (draft.expiresAt() != null && !draft.expiresAt().isAfter(now)) {
            errors.add(new FieldError("expiresAt", "is in the past; a key must expire after now"));
        }
        if (draft.requestsPerSecond() != null && !(draft.requestsPerSecond() > 0 && draft.requestsPerSecond() <= 10_000)) {
            errors.add(new FieldError("requestsPerSecond", "must be above 0 and at most 10000"));
        }
        if (draft.maxRunningTasks() != null && draft.maxRunningTasks() < 0) {
            errors.add(new FieldError("maxRunningTasks", "must be 0 (no limit) or more"));
        }
        if (draft.dailyBudgetUsd() != null && (draft.dailyBudgetUsd().signum() < 0 || draft.dailyBudgetUsd().precision()
                - draft.dailyBudgetUsd().scale() > 8)) {
            errors.add(new FieldError("dailyBudgetUsd", "must be from 0 to 99999999"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        String secret = secrets.generate();
        Caller creator = caller.get();
        StoredKey key = new StoredKey(UUID.randomUUID(), draft.name().trim(), KeySecrets.displayPrefix(secret), role,
                Set.copyOf(pools), new Caller.Limits(draft.requestsPerSecond(), draft.maxRunningTasks(), draft.dailyBudgetUsd()),
                creator.keyId(), now, draft.expiresAt() == null ? null : draft.expiresAt().truncatedTo(ChronoUnit.MICROS),
                null, null);
        store.insert(key, secrets.hash(secret));
        audit.succeeded("api-key.create", "api-key", key.id(), "role " + role.wire());
        return new Created(key, secret);
    }

    public StoredKey get(UUID id) {
        return store.find(id).orElseThrow(() -> new ApiKeyNotFoundException(id));
    }

    public List<StoredKey> list(ListCursor after, int limit) {
        return store.list(after, limit);
    }

    /**
     * Revokes the key: this replica refuses it at once, others within the cache TTL. Revoking a revoked key changes
     * nothing and answers it as it is.
     */
    @Transactional
    public StoredKey revoke(UUID id) {
        StoredKey before = get(id);
        if (store.revoke(id, Instant.now())) {
            audit.succeeded("api-key.revoke", "api-key", id);
        }
        cache.values().removeIf(cached -> cached.caller().map(found -> id.equals(found.keyId())).orElse(false));
        return before.revokedAt() == null ? get(id) : before;
    }

    /** How long a looked-up key is trusted without reading it again. */
    public Duration cacheTtl() {
        return Duration.ofNanos(ttlNanos);
    }

    private String cacheKey(String token) {
        return HexFormat.of().formatHex(secrets.hash(token));
    }
}
