package dev.taskq.common.workflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The graph of a workflow as a client submitted it: nodes named by a ref, each depending on other nodes of the graph
 * (by ref) or on tasks that already exist (by id). Resolves those entries, finds a cycle as a path, and orders the
 * nodes dependencies first. Iterative throughout, so a 10,000-node chain needs no deep stack. Pure: no database.
 *
 * <p>An entry that is a ref of the graph means that node even when it also reads as a UUID; otherwise a UUID names
 * an existing task (whether it exists is for the caller to check, with one query for {@link #existingTaskIds()}).
 */
public final class WorkflowGraph {

    /** What a ref looks like: a letter or digit, then up to 99 letters, digits, dots, underscores or dashes. */
    public static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

    /**
     * A node as submitted: its ref, its dependency entries and the entry it continues from (each a ref of the graph or
     * the id of an existing task). A continuation needs its source to have ended, so {@code continueFrom} counts as a
     * dependency too, listed or not.
     */
    public record Node(String ref, List<String> dependsOn, String continueFrom) {

        public Node(String ref, List<String> dependsOn) {
            this(ref, dependsOn, null);
        }
    }

    /** A dependency entry, resolved. */
    public sealed interface Dependency {

        /** Another node of the graph, by its index. */
        record OnNode(int index) implements Dependency {}

        /** A task that exists outside the graph. */
        record OnTask(UUID taskId) implements Dependency {}
    }

    /**
     * Something wrong with a node, in terms the client can act on.
     *
     * @param node the node's index
     * @param field within the node: {@code ref}, {@code dependsOn[j]} or {@code continueFrom}
     */
    public record Problem(int node, String field, String message) {}

    private final List<Node> nodes;
    private final Map<String, Integer> indexByRef;
    private final List<List<Dependency>> dependencies;
    private final Map<Integer, Dependency> continueFrom;
    private final List<Problem> problems;

    private WorkflowGraph(List<Node> nodes, Map<String, Integer> indexByRef, List<List<Dependency>> dependencies,
            Map<Integer, Dependency> continueFrom, List<Problem> problems) {
        this.nodes = nodes;
        this.indexByRef = indexByRef;
        this.dependencies = dependencies;
        this.continueFrom = continueFrom;
        this.problems = problems;
    }

    /**
     * Resolves every node's entries. Nothing is thrown: what cannot be resolved is left out of
     * {@link #dependenciesOf} and listed in {@link #problems()}, so a client hears of every problem at once.
     */
    public static WorkflowGraph of(List<Node> nodes) {
        List<Node> copy = List.copyOf(nodes);
        List<Problem> problems = new ArrayList<>();
        Map<String, Integer> indexByRef = new HashMap<>();
        for (int i = 0; i < copy.size(); i++) {
            String ref = copy.get(i).ref();
            if (ref == null || !REF.matcher(ref).matches()) {
                problems.add(new Problem(i, "ref", ref == null
                        ? "is required: the name other tasks of the workflow use in dependsOn"
                        : "must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit, got '"
                                + abbreviate(ref) + "'"));
                continue;
            }
            Integer earlier = indexByRef.putIfAbsent(ref, i);
            if (earlier != null) {
                problems.add(new Problem(i, "ref", "repeats the ref of tasks[" + earlier + "] ('" + ref
                        + "'); each task of a workflow needs its own ref"));
            }
        }
        List<List<Dependency>> dependencies = new ArrayList<>(copy.size());
        Map<Integer, Dependency> continueFrom = new HashMap<>();
        for (int i = 0; i < copy.size(); i++) {
            List<String> entries = copy.get(i).dependsOn() == null ? List.of() : copy.get(i).dependsOn();
            List<Dependency> resolved = new ArrayList<>(entries.size());
            Map<Dependency, Integer> firstEntry = new HashMap<>();
            for (int j = 0; j < entries.size(); j++) {
                String field = "dependsOn[" + j + "]";
                Optional<Dependency> dependency = resolve(entries.get(j), indexByRef);
                if (dependency.isEmpty()) {
                    problems.add(new Problem(i, field, unresolvedMessage(entries.get(j))));
                    continue;
                }
                Integer earlier = firstEntry.putIfAbsent(dependency.get(), j);
                if (earlier != null) {
                    problems.add(new Problem(i, field, "repeats dependsOn[" + earlier + "] ('" + abbreviate(entries.get(j))
                            + "'); list each dependency once"));
                    continue;
                }
                resolved.add(dependency.get());
            }
            String source = copy.get(i).continueFrom();
            if (source != null) {
                Optional<Dependency> dependency = resolve(source, indexByRef);
                if (dependency.isEmpty()) {
                    problems.add(new Problem(i, "continueFrom", unresolvedMessage(source)));
                } else {
                    continueFrom.put(i, dependency.get());
                    if (!firstEntry.containsKey(dependency.get())) {
                        resolved.add(dependency.get());
                    }
                }
            }
            dependencies.add(Collections.unmodifiableList(resolved));
        }
        return new WorkflowGraph(copy, indexByRef, Collections.unmodifiableList(dependencies), Map.copyOf(continueFrom),
                List.copyOf(problems));
    }

    /** Why an entry could not be resolved, e.g. {@code 'x' is not a task of this workflow nor a task id}. */
    public static String unresolvedMessage(String entry) {
        return entry == null ? "must not be null"
                : "'" + abbreviate(entry) + "' is not a task of this workflow nor a task id";
    }

    public int size() {
        return nodes.size();
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    public OptionalInt indexOf(String ref) {
        Integer index = ref == null ? null : indexByRef.get(ref);
        return index == null ? OptionalInt.empty() : OptionalInt.of(index);
    }

    /**
     * A node's resolved dependencies in the order the client listed them, then its {@code continueFrom} when not listed;
     * unresolvable and repeated entries left out.
     */
    public List<Dependency> dependenciesOf(int node) {
        return dependencies.get(node);
    }

    /** What a node continues from, resolved; empty when it names nothing (or nothing that resolves). */
    public Optional<Dependency> continueFromOf(int node) {
        return Optional.ofNullable(continueFrom.get(node));
    }

    /** Resolves one more entry the way dependsOn entries are (e.g. a {@code continueFrom}); empty when it is neither. */
    public Optional<Dependency> resolve(String entry) {
        return resolve(entry, indexByRef);
    }

    /** Every problem found while resolving, node by node. */
    public List<Problem> problems() {
        return problems;
    }

    /** The ids of existing tasks the nodes depend on (continueFrom included), in first-mention order. */
    public Set<UUID> existingTaskIds() {
        Set<UUID> ids = new LinkedHashSet<>();
        for (List<Dependency> nodeDependencies : dependencies) {
            for (Dependency dependency : nodeDependencies) {
                if (dependency instanceof Dependency.OnTask onTask) {
                    ids.add(onTask.taskId());
                }
            }
        }
        return ids;
    }

    /**
     * A cycle among the nodes, if there is one, as the refs along it in the direction work flows, the first ref
     * repeated at the end: {@code [a, b, c, a]} means b depends on a, c on b and a on c. A node that depends on
     * itself is {@code [a, a]}. The search starts from the nodes in submission order, so the answer is stable.
     */
    public Optional<List<String>> findCycle() {
        List<List<Integer>> dependents = dependents();
        int[] state = new int[nodes.size()];
        final int unvisited = 0;
        final int onPath = 1;
        final int done = 2;
        int[] pathPosition = new int[nodes.size()];
        List<Integer> path = new ArrayList<>();
        // Each frame is {node, index of the next dependent to visit}: an explicit stack instead of recursion.
        Deque<int[]> stack = new ArrayDeque<>();
        for (int start = 0; start < nodes.size(); start++) {
            if (state[start] != unvisited) {
                continue;
            }
            stack.push(new int[] {start, 0});
            state[start] = onPath;
            pathPosition[start] = path.size();
            path.add(start);
            while (!stack.isEmpty()) {
                int[] frame = stack.peek();
                List<Integer> next = dependents.get(frame[0]);
                if (frame[1] == next.size()) {
                    stack.pop();
                    state[frame[0]] = done;
                    path.removeLast();
                    continue;
                }
                int dependent = next.get(frame[1]++);
                if (state[dependent] == onPath) {
                    List<String> cycle = new ArrayList<>();
                    for (int k = pathPosition[dependent]; k < path.size(); k++) {
                        cycle.add(nodes.get(path.get(k)).ref());
                    }
                    cycle.add(nodes.get(dependent).ref());
                    return Optional.of(List.copyOf(cycle));
                }
                if (state[dependent] == unvisited) {
                    state[dependent] = onPath;
                    pathPosition[dependent] = path.size();
                    path.add(dependent);
                    stack.push(new int[] {dependent, 0});
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The node indexes with every node after the nodes it depends on (Kahn's algorithm; ties keep submission order).
     * Throws {@link IllegalStateException} when the graph has a cycle: check {@link #findCycle()} first.
     */
    public List<Integer> topologicalOrder() {
        List<List<Integer>> dependents = dependents();
        int[] pending = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            for (Dependency dependency : dependencies.get(i)) {
                if (dependency instanceof Dependency.OnNode) {
                    pending[i]++;
                }
            }
        }
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<Integer> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int node = ready.poll();
            order.add(node);
            for (int dependent : dependents.get(node)) {
                if (--pending[dependent] == 0) {
                    ready.add(dependent);
                }
            }
        }
        if (order.size() != nodes.size()) {
            throw new IllegalStateException("the workflow's dependencies form a cycle: " + findCycle().map(WorkflowGraph::describe).orElse("?"));
        }
        return List.copyOf(order);
    }

    /** A cycle as people read it: {@code a → b → c → a}. */
    public static String describe(List<String> cycle) {
        return String.join(" → ", cycle);
    }

    /** For each node, the nodes that depend on it, in submission order. */
    private List<List<Integer>> dependents() {
        List<List<Integer>> dependents = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            dependents.add(new ArrayList<>(2));
        }
        for (int i = 0; i < nodes.size(); i++) {
            for (Dependency dependency : dependencies.get(i)) {
                if (dependency instanceof Dependency.OnNode onNode) {
                    dependents.get(onNode.index()).add(i);
                }
            }
        }
        return dependents;
    }

    private static Optional<Dependency> resolve(String entry, Map<String, Integer> indexByRef) {
        if (entry == null) {
            return Optional.empty();
        }
        Integer index = indexByRef.get(entry);
        if (index != null) {
            return Optional.of(new Dependency.OnNode(index));
        }
        // Strictly the 36-character form: UUID.fromString would also take "1-2-3-4-5".
        return CANONICAL_UUID.matcher(entry).matches()
                ? Optional.of(new Dependency.OnTask(UUID.fromString(entry)))
                : Optional.empty();
    }

    private static String abbreviate(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "…" : value;
    }
}
