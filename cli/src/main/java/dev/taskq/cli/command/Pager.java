package dev.taskq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskq.cli.client.ApiClient;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a cursor-paged list ({@code items}, {@code nextCursor}) up to a number of items, a page at a time. */
final class Pager {

    /** The API's largest page of tasks and workflows. */
    static final int MAX_PAGE = 200;

    private Pager() {
    }

    /** Up to {@code limit} items, in the page shape the API uses: {@code {"items": [...], "nextCursor": ...}}. */
    static ObjectNode collect(ApiClient api, String path, Map<String, ?> filters, int limit) {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        String cursor = null;
        do {
            Map<String, Object> query = new LinkedHashMap<>(filters);
            query.put("limit", Math.min(MAX_PAGE, limit - items.size()));
            query.put("cursor", cursor);
            JsonNode page = api.get(path, query);
            page.path("items").forEach(items::add);
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null && items.size() < limit);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.set("items", items);
        result.put("nextCursor", cursor);
        return result;
    }
}
