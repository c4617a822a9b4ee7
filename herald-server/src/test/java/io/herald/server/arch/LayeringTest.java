package io.herald.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walls between Herald's parts (STYLE "Walls that a test keeps up"): the core knows no
 * transport, the client knows neither (and nothing needs the client), no module reaches into
 * another's {@code .internal} package, and no two classes of different packages depend on each
 * other in a cycle. Main code only; tests may reach anywhere.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importHerald() {
        // a module's tests reach this one through its test jar (herald-core's), which the predefined option misses
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.herald");
    }

    @Test
    void theCoreKnowsNoTransport() {
        noClasses().that().resideInAnyPackage("io.herald", "io.herald.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("io.herald.server..", "io.netty.handler..",
                        "io.netty.channel.socket..", "io.netty.channel.epoll..", "io.netty.channel.nio..")
                .because("herald-core is the data flow from publish to outlet; transports plug in through Outlet")
                .check(classes);
    }

    @Test
    void noModuleUsesAnotherModulesInternals() {
        noClasses().that().resideOutsideOfPackages("io.herald", "io.herald.internal..")
                .should().dependOnClassesThat().resideInAPackage("io.herald.internal..")
                .because("io.herald.internal carries no compatibility promise outside herald-core")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("io.herald.server..")
                .should().dependOnClassesThat().resideInAPackage("io.herald.server.internal..")
                .because("io.herald.server.internal carries no compatibility promise outside herald-server")
                .check(classes);
    }

    @Test
    void theClientStandsAloneAndTheServerNeverNeedsIt() {
        assertThat(classes.contain("io.herald.client.HeraldClient")).as("the client's classes are checked").isTrue();
        noClasses().that().resideInAPackage("io.herald.client..")
                .should().dependOnClassesThat().resideInAnyPackage("io.herald", "io.herald.internal..", "io.herald.server..",
                        "io.netty..")
                .because("herald-client is a library for applications: it pulls in neither the server nor its core")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("io.herald.client..")
                .should().dependOnClassesThat().resideInAPackage("io.herald.client..")
                .because("the server's main code never needs the client (its tests may)")
                .check(classes);
    }

    @Test
    void noCycleSpansTwoPackages() {
        Map<JavaClass, Set<JavaClass>> graph = dependencyGraph();
        List<String> cycles = new ArrayList<>();
        for (Set<JavaClass> component : stronglyConnected(graph)) {
            Set<String> packages = new TreeSet<>();
            component.forEach(c -> packages.add(c.getPackageName()));
            if (packages.size() > 1) {
                Set<String> names = new TreeSet<>();
                component.forEach(c -> names.add(c.getName()));
                cycles.add(packages + ": " + names);
            }
        }
        assertThat(cycles).as("classes of different packages that depend on each other in a cycle").isEmpty();
    }

    /** Top-level class → the top-level Herald classes it uses (nested classes count as their outer one). */
    private static Map<JavaClass, Set<JavaClass>> dependencyGraph() {
        Map<JavaClass, Set<JavaClass>> graph = new LinkedHashMap<>();
        for (JavaClass c : classes) {
            JavaClass from = topLevel(c);
            Set<JavaClass> to = graph.computeIfAbsent(from, k -> new LinkedHashSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = topLevel(d.getTargetClass().getBaseComponentType());
                if (target != from && target.getPackageName().startsWith("io.herald") && classes.contain(target.getName())) {
                    to.add(target);
                }
            }
        }
        return graph;
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass top = c;
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top;
    }

    /** Tarjan's strongly connected components, iteratively. */
    private static List<Set<JavaClass>> stronglyConnected(Map<JavaClass, Set<JavaClass>> graph) {
        Map<JavaClass, Integer> index = new HashMap<>();
        Map<JavaClass, Integer> low = new HashMap<>();
        Deque<JavaClass> stack = new ArrayDeque<>();
        Set<JavaClass> onStack = new LinkedHashSet<>();
        List<Set<JavaClass>> components = new ArrayList<>();
        int[] counter = {0};
        for (JavaClass root : graph.keySet()) {
            if (index.containsKey(root)) {
                continue;
            }
            Deque<Object[]> work = new ArrayDeque<>();
            work.push(new Object[] {root, graph.getOrDefault(root, Set.of()).iterator()});
            index.put(root, counter[0]);
            low.put(root, counter[0]++);
            stack.push(root);
            onStack.add(root);
            while (!work.isEmpty()) {
                Object[] frame = work.peek();
                JavaClass v = (JavaClass) frame[0];
                @SuppressWarnings("unchecked")
                java.util.Iterator<JavaClass> it = (java.util.Iterator<JavaClass>) frame[1];
                if (it.hasNext()) {
                    JavaClass w = it.next();
                    if (!index.containsKey(w)) {
                        index.put(w, counter[0]);
                        low.put(w, counter[0]++);
                        stack.push(w);
                        onStack.add(w);
                        work.push(new Object[] {w, graph.getOrDefault(w, Set.of()).iterator()});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    JavaClass parent = (JavaClass) work.peek()[0];
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    Set<JavaClass> component = new LinkedHashSet<>();
                    JavaClass w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (w != v);
                    components.add(component);
                }
            }
        }
        return components;
    }
}
