package org.complainthub.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.DivertConfiguration;
import org.apache.activemq.artemis.core.server.ComponentConfigurationRoutingType;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.stereotype.Component;

/**
 * What the embedded broker needs beyond Spring Boot's defaults; the README lists the same for an external broker.
 * <ul>
 * <li>one anycast queue per department ({@code complaints.<department>}), and the hub's own queues;</li>
 * <li>a non-exclusive divert from every department queue to {@code complaints.desk}, so the service desk sees every
 * complaint without the hub sending it twice;</li>
 * <li>a journal buffer timeout tuned to the disk: Spring Boot keeps the NIO default of 3.33 ms, which caps a single
 * sender near 300 persistent sends/s (STACK.md 18);</li>
 * <li>optionally a TCP acceptor on loopback, so operators can use the Artemis CLI against the embedded broker.</li>
 * </ul>
 */
@Component
public class EmbeddedBrokerSettings implements ArtemisConfigurationCustomizer {

    public static final String DESK = "complaints.desk";

    private final DepartmentNames departments;
    private final String prefix;
    private final List<String> otherQueues;
    private final int journalBufferTimeoutNanos;
    private final int idCacheSize;
    private final String acceptor;
    private final long globalMaxSize;

    public EmbeddedBrokerSettings(DepartmentNames departments,
                                  @Value("${hub.queues.department-prefix:complaints.}") String prefix,
                                  @Value("${hub.queues.desk},${hub.queues.quarantine},${hub.queues.status},${hub.queues.events},${hub.queues.outbound-send},${hub.queues.outbound-dead},${hub.queues.escalations}") List<String> otherQueues,
                                  @Value("${hub.broker.journal-buffer-timeout-nanos:100000}") int journalBufferTimeoutNanos,
                                  @Value("${hub.broker.id-cache-size:20000}") int idCacheSize,
                                  @Value("${hub.broker.acceptor:}") String acceptor,
                                  @Value("${hub.broker.global-max-size:-1}") long globalMaxSize) {
        this.departments = departments;
        this.prefix = prefix;
        this.otherQueues = otherQueues;
        this.journalBufferTimeoutNanos = journalBufferTimeoutNanos;
        this.idCacheSize = idCacheSize;
        this.acceptor = acceptor;
        // messages the broker keeps in memory before it pages to disk; Artemis' own default (half the heap) leaves a
        // hub at -Xmx256m too little for the rest when a file of 100,000 calls fills the queues at once
        this.globalMaxSize = globalMaxSize > 0 ? globalMaxSize : Runtime.getRuntime().maxMemory() / 16;
    }

    @Override
    public void customize(org.apache.activemq.artemis.core.config.Configuration config) {
        config.setJournalBufferTimeout_NIO(journalBufferTimeoutNanos);
        config.setJournalBufferTimeout_AIO(journalBufferTimeoutNanos);
        config.setIDCacheSize(idCacheSize);
        config.setPersistIDCache(true);
        config.setGlobalMaxSize(globalMaxSize);
        List<String> queues = new ArrayList<>(otherQueues);
        Set<String> names = departments.departments();
        names.forEach(d -> queues.add(prefix + d));
        for (String q : queues) {
            config.addAddressConfiguration(new CoreAddressConfiguration().setName(q).addRoutingType(RoutingType.ANYCAST)
                    .addQueueConfiguration(QueueConfiguration.of(q).setAddress(q).setRoutingType(RoutingType.ANYCAST).setDurable(true)));
        }
        String desk = otherQueues.get(0);
        for (String d : names) {
            config.addDivertConfiguration(new DivertConfiguration().setName("desk-copy-" + d).setAddress(prefix + d)
                    .setForwardingAddress(desk).setExclusive(false)
                    .setRoutingType(ComponentConfigurationRoutingType.PASS));
        }
        config.addAddressSetting("complaints.#", new AddressSettings()
                .setDeadLetterAddress(org.apache.activemq.artemis.api.core.SimpleString.of("complaints.dead"))
                .setAutoCreateDeadLetterResources(true)
                .setMaxDeliveryAttempts(10)
                // a paging queue reads back at most this much at a time: ten queues paging at Artemis' defaults
                // (10 MB pages, 20 MB read) would hold more than a small hub's heap
                .setPageSizeBytes(1 << 20)
                .setMaxReadPageBytes(2 << 20));
        if (!acceptor.isBlank()) {
            try {
                config.addAcceptorConfiguration("operator", acceptor);
            } catch (Exception e) {
                throw new IllegalStateException("hub.broker.acceptor is not a valid acceptor URL: " + acceptor, e);
            }
        }
    }
}
