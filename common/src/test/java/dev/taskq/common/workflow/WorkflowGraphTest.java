package dev.taskq.common.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskq.common.workflow.WorkflowGraph.Dependency.OnNode;
import dev.taskq.common.workflow.WorkflowGraph.Dependency.OnTask;
import dev.taskq.common.workflow.WorkflowGraph.Node;
import dev.taskq.common.workflow.WorkflowGraph.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WorkflowGraphTest {

    @Test
    void aDiamondResolvesAndOrdersEachNodeAfterItsDependencies() {
        WorkflowGraph graph = WorkflowGraph.of(List.of(
                node("a"), node("b", "a"), node("c", "a"), node("d", "b", "c")));

        assertThat(graph.problems()).isEmpty();
        assertThat(graph.findCycle()).isEmpty();
        assertThat(graph.dependenciesOf(3)).containsExactly(new OnNode(1), new OnNode(2));
        assertThat(graph.topologicalOrder()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void nodesListedBeforeTheirDependenciesAreStillOrderedDependenciesFirst() {
        WorkflowGraph graph = WorkflowGraph.of(List.of(node("sink", "left", "right"), node("left", "root"),
                node("right", "root"), node("root")));

        List<Integer> order = graph.topologicalOrder();

        assertThat(order).first().isEqualTo(3);
        assertThat(order).last().isEqualTo(0);
        assertThat(order.indexOf(1)).isLessThan(order.indexOf(0));
    }

    @Test
    void aFanOutFanInPutsTheRootFirstAndTheSinkLast() {
        List<Node> nodes = new ArrayList<>();
        nodes.add(node("root"));
        List<String> branches = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            nodes.add(node("branch-" + i, "root"));
            branches.add("branch-" + i);
        }
        nodes.add(new Node("sink", branches));

        WorkflowGraph graph = WorkflowGraph.of(nodes);

        assertThat(graph.problems()).isEmpty();
        assertThat(graph.findCycle()).isEmpty();
        List<Integer> order = graph.topologicalOrder();
        assertThat(order).hasSize(52).startsWith(0).endsWith(51);
        assertThat(graph.dependenciesOf(51)).hasSize(50);
    }

    @Test
    void aNodeThatDependsOnItselfIsACycleOfOne() {
        WorkflowGraph graph = WorkflowGraph.of(List.of(node("a"), node("loop", "a", "loop")));

        assertThat(graph.findCycle()).contains(List.of("loop", "loop"));
        assertThat(WorkflowGraph.describe(graph.findCycle().orElseThrow())).isEqualTo("loop → loop");
    }

    @Test
    void aCycleIsReportedInTheOrderWorkFlowsAlongIt() {
        // b depends on a, c on b, a on c.
        WorkflowGraph graph = WorkflowGraph.of(List.of(node("a", "c"), node("b", "a"), node("c", "b")));

        assertThat(graph.findCycle()).contains(List.of("a", "b", "c", "a"));
        assertThat(WorkflowGraph.describe(graph.findCycle().orElseThrow())).isEqualTo("a → b → c → a");
        assertThatThrownBy(graph::topologicalOrder).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a → b → c → a");
    }

    @Test
    void aCycleBelowAnAcyclicPartIsReportedWithoutTheNodesLeadingToIt() {
        WorkflowGraph graph = WorkflowGraph.of(List.of(node("start"), node("x", "start", "z"), node("y", "x"),
                node("z", "y"), node("after", "z")));

        assertThat(graph.findCycle()).contains(List.of("x", "y", "z", "x"));
    }

    @Test
    void aLongCycleIsFoundWholeWithoutRecursion() {
        int length = 20_000;
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            nodes.add(node("n" + i, "n" + ((i + length - 1) % length)));
        }

        List<String> cycle = WorkflowGraph.of(nodes).findCycle().orElseThrow();

        assertThat(cycle).hasSize(length + 1).startsWith("n0", "n1").endsWith("n19999", "n0");
    }

    @Test
    void aTenThousandNodeChainIsOrderedWithoutOverflowingTheStack() {
        int length = 10_000;
        List<Node> nodes = new ArrayList<>();
        // Listed last-first, so the search walks the whole chain from the far end.
        for (int i = length - 1; i >= 0; i--) {
            nodes.add(i == 0 ? node("n0") : node("n" + i, "n" + (i - 1)));
        }

        WorkflowGraph graph = WorkflowGraph.of(nodes);

        assertThat(graph.problems()).isEmpty();
        assertThat(graph.findCycle()).isEmpty();
        List<Integer> order = graph.topologicalOrder();
        assertThat(order).hasSize(length).startsWith(length - 1).endsWith(0);
    }

    @Test
    void anEntryThatIsNoRefIsAnIdOfAnExistingTask() {
        UUID existing = UUID.randomUUID();
        WorkflowGraph graph = WorkflowGraph.of(List.of(node("a", existing.toString()), node("b", "a", existing.toString())));

        assertThat(graph.problems()).isEmpty();
        assertThat(graph.dependenciesOf(1)).containsExactly(new OnNode(0), new OnTask(existing));
        assertThat(graph.existingTaskIds()).containsExactly(existing);
    }

    @Test
    void aRefWinsOverTheSameTextReadAsATaskId() {
        String uuidLookingRef = UUID.randomUUID().toString();
        WorkflowGraph graph = WorkflowGraph.of(List.of(node(uuidLookingRef), node("b", uuidLookingRef)));

        assertThat(graph.dependenciesOf(1)).containsExactly(new OnNode(0));
        assertThat(graph.existingTaskIds()).isEmpty();
    }

    @Test
    void anEntryThatIsNeitherARefNorATaskIdIsNamedWithItsPosition() {
        WorkflowGraph graph = WorkflowGraph.of(List.of(node("a"), node("b", "a", "typo", "1-2-3-4-5")));

        assertThat(graph.problems()).containsExactly(
                new Problem(1, "dependsOn[1]", "'typo' is not a task of this workflow nor a task id"),
                new Problem(1, "dependsOn[2]", "'1-2-3-4-5' is not a task of this workflow nor a task id"));
        assertThat(graph.dependenciesOf(1)).containsExactly(new OnNode(0));
    }

    @Test
    void aRepeatedRefIsNamedAtItsSecondUseAndDependenciesMeanTheFirst() {
        WorkflowGraph graph = WorkflowGraph.of(List.of(node("a"), node("a"), node("b", "a")));

        assertThat(graph.problems()).extracting(Problem::node, Problem::field).containsExactly(org.assertj.core.groups.Tuple.tuple(1, "ref"));
        assertThat(graph.problems().getFirst().message()).contains("tasks[0]");
        assertThat(graph.dependenciesOf(2)).containsExactly(new OnNode(0));
    }

    @Test
    void aRepeatedDependencyIsNamedAndCountedOnce() {
        UUID existing = UUID.randomUUID();
        WorkflowGraph graph = WorkflowGraph.of(List.of(node("a"),
                node("b", "a", "a", existing.toString(), existing.toString().toUpperCase())));

        assertThat(graph.problems()).extracting(Problem::field).containsExactly("dependsOn[1]", "dependsOn[3]");
        assertThat(graph.dependenciesOf(1)).containsExactly(new OnNode(0), new OnTask(existing));
    }

    @Test
    void refsMustBeShortNamesWithoutSpaces() {
        WorkflowGraph graph = WorkflowGraph.of(List.of(node("has space"), node("-dash-first"), node("x".repeat(101)),
                new Node(null, List.of()), node("ok.name_1-2")));

        assertThat(graph.problems()).extracting(Problem::node).containsExactly(0, 1, 2, 3);
        assertThat(graph.problems()).allSatisfy(problem -> assertThat(problem.field()).isEqualTo("ref"));
    }

    @Test
    void aNullEntryIsAProblemNotACrash() {
        WorkflowGraph graph = WorkflowGraph.of(List.of(new Node("a", Arrays.asList((String) null))));

        assertThat(graph.problems()).containsExactly(new Problem(0, "dependsOn[0]", "must not be null"));
    }

    @Test
    void continueFromCountsAsADependencyWhenNotListed() {
        WorkflowGraph graph = WorkflowGraph.of(List.of(node("a"), node("b"),
                new Node("c", List.of("a"), "b"), new Node("d", List.of("a"), "a")));

        assertThat(graph.dependenciesOf(2)).containsExactly(new OnNode(0), new OnNode(1));
        assertThat(graph.continueFromOf(2)).contains(new OnNode(1));
        assertThat(graph.dependenciesOf(3)).containsExactly(new OnNode(0));
        assertThat(graph.topologicalOrder()).containsExactly(0, 1, 3, 2);
    }

    @Test
    void aCycleThroughContinueFromIsACycle() {
        WorkflowGraph graph = WorkflowGraph.of(List.of(new Node("a", List.of(), "b"), node("b", "a"), new Node("self", List.of(), "self")));

        assertThat(graph.findCycle()).contains(List.of("a", "b", "a"));
        assertThat(WorkflowGraph.of(List.of(new Node("self", List.of(), "self"))).findCycle()).contains(List.of("self", "self"));
    }

    @Test
    void aContinueFromThatIsNeitherARefNorATaskIdIsNamed() {
        WorkflowGraph graph = WorkflowGraph.of(List.of(node("a"), new Node("b", List.of("a"), "nowhere")));

        assertThat(graph.problems()).containsExactly(
                new Problem(1, "continueFrom", "'nowhere' is not a task of this workflow nor a task id"));
        assertThat(graph.continueFromOf(1)).isEmpty();
        assertThat(graph.dependenciesOf(1)).containsExactly(new OnNode(0));
    }

    @Test
    void continueFromAndOtherSingleEntriesResolveLikeDependencies() {
        UUID existing = UUID.randomUUID();
        WorkflowGraph graph = WorkflowGraph.of(List.of(node("a"), node("b", "a")));

        assertThat(graph.resolve("a")).contains(new OnNode(0));
        assertThat(graph.resolve(existing.toString())).contains(new OnTask(existing));
        assertThat(graph.resolve("nope")).isEmpty();
        assertThat(graph.indexOf("b")).hasValue(1);
        assertThat(graph.indexOf("nope")).isEmpty();
    }

    private static Node node(String ref, String... dependsOn) {
        return new Node(ref, List.of(dependsOn));
    }
}
