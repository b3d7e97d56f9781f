package org.complainthub.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * hub.cluster.service builds the cluster service it names, and the services do what the routes under master: rely on:
 * with none a single node runs its pollers at once; on ZooKeeper (in-process server) one node of two runs a route, and
 * the other takes it over when that node stops. (SIGKILL of a whole hub process: ClusterTakeoverRun.)
 */
class ClusterServiceSettingsTest {

    @Test
    void noneIsOneNodeThatLeadsAtOnce() throws Exception {
        CamelClusterService service = build(new MockEnvironment());
        assertThat(service).isInstanceOf(SingleNodeClusterService.class);
        List<String> ticks = new CopyOnWriteArrayList<>();
        try (CamelContext camel = node(service, "single", ticks)) {
            awaitTicks(ticks, "single", Duration.ofSeconds(10));
            assertThat(service.getView("poller").getLocalMember().isLeader()).isTrue();
        }
    }

    @Test
    void zookeeperOneNodeOfTwoRunsTheRouteAndTheOtherTakesOverWhenItStops() throws Exception {
        try (TestingServer zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, 1, 2000, 100), true)) {
            List<String> ticks = new CopyOnWriteArrayList<>();
            CamelContext first = node(build(zookeeperSettings(zookeeper, "first")), "first", ticks);
            awaitTicks(ticks, "first", Duration.ofSeconds(20)); // the first leads before the second asks
            try (CamelContext second = node(build(zookeeperSettings(zookeeper, "second")), "second", ticks)) {
                Thread.sleep(2500);
                assertThat(ticks).as("only the leader's route runs").containsOnly("first");

                long stopped = System.nanoTime();
                first.close(); // its session ends with it: the second takes over at once, not after the session timeout
                ticks.clear();
                awaitTicks(ticks, "second", Duration.ofSeconds(10));
                System.out.printf("ClusterServiceSettingsTest: the second node ran the route %d ms after the first stopped%n",
                        (System.nanoTime() - stopped) / 1_000_000);
                assertThat(ticks).containsOnly("second");
            } finally {
                first.close();
            }
        }
    }

    @Test
    void zookeeperSettingsReachTheService() {
        MockEnvironment env = new MockEnvironment().withProperty("hub.cluster.service", "ZooKeeper")
                .withProperty("hub.cluster.zookeeper.nodes", "zk1:2181,zk2:2181").withProperty("hub.cluster.node-id", "hub-1")
                .withProperty("hub.cluster.zookeeper.session-timeout", "7s").withProperty("hub.cluster.zookeeper.base-path", "/hubs/shop");
        ZooKeeperClusterService zk = (ZooKeeperClusterService) build(env);
        assertThat(zk.getId()).isEqualTo("hub-1");
        assertThat(zk.getNodes()).isEqualTo("zk1:2181,zk2:2181");
        assertThat(zk.getSessionTimeout()).isEqualTo(7000);
        assertThat(zk.getBasePath()).isEqualTo("/hubs/shop");
        assertThat(((ZooKeeperClusterService) build(new MockEnvironment().withProperty("hub.cluster.service", "zookeeper")
                .withProperty("hub.cluster.zookeeper.nodes", "zk:2181"))).getId())
                .as("by default named after the host and the process").endsWith("-" + ProcessHandle.current().pid());
    }

    @Test
    void kubernetesSettingsReachTheService() {
        MockEnvironment env = new MockEnvironment().withProperty("hub.cluster.service", "kubernetes")
                .withProperty("hub.cluster.kubernetes.namespace", "complaints")
                .withProperty("hub.cluster.kubernetes.pod-labels", "app=complaint-hub, tier=intake")
                .withProperty("hub.cluster.kubernetes.lease-duration", "8s")
                .withProperty("hub.cluster.kubernetes.renew-deadline", "6s")
                .withProperty("hub.cluster.kubernetes.retry-period", "1500ms");
        KubernetesClusterService k8s = (KubernetesClusterService) build(env);
        assertThat(k8s.getKubernetesNamespace()).isEqualTo("complaints");
        assertThat(k8s.getKubernetesResourceName()).isEqualTo("complaint-hub");
        assertThat(k8s.getClusterLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "complaint-hub", "tier", "intake"));
        assertThat(k8s.getLeaseDurationMillis()).isEqualTo(8000);
        assertThat(k8s.getRenewDeadlineMillis()).isEqualTo(6000);
        assertThat(k8s.getRetryPeriodMillis()).isEqualTo(1500);
        assertThat(k8s.getPodName()).as("the pod's own name (HOSTNAME) unless set").isNull();
    }

    @Test
    void aMistakeStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> build(new MockEnvironment().withProperty("hub.cluster.service", "consul")))
                .hasMessageContaining("hub.cluster.service=consul").hasMessageContaining("none (one node), zookeeper or kubernetes");
        assertThatThrownBy(() -> build(new MockEnvironment().withProperty("hub.cluster.service", "zookeeper")))
                .hasMessageContaining("hub.cluster.zookeeper.nodes");
        assertThatThrownBy(() -> ClusterServiceSettings.labels("app"))
                .hasMessageContaining("hub.cluster.kubernetes.pod-labels");
        assertThat(ClusterServiceSettings.labels(" ")).isEmpty();
    }

    private static CamelClusterService build(MockEnvironment env) {
        return new ClusterServiceSettings().hubClusterService(env);
    }

    private static MockEnvironment zookeeperSettings(TestingServer zookeeper, String id) {
        return new MockEnvironment().withProperty("hub.cluster.service", "zookeeper")
                .withProperty("hub.cluster.zookeeper.nodes", zookeeper.getConnectString())
                .withProperty("hub.cluster.node-id", id);
    }

    /** A Camel context with the service and one route under master: whose timer notes the node's name. */
    private static CamelContext node(CamelClusterService service, String name, List<String> ticks) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.addService(service);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("master:poller:timer:" + name + "?period=200").routeId("poller").process(e -> ticks.add(name));
            }
        });
        camel.start();
        return camel;
    }

    private static void awaitTicks(List<String> ticks, String name, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!ticks.contains(name) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(new ArrayList<>(ticks)).as("%s's route ran within %s", name, limit).contains(name);
    }
}
