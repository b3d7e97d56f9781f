package org.complainthub.support;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;

/**
 * A broker that refuses sends, as one whose disk is full or that is going away: a plugin of the embedded broker (not
 * a mock in the hub's routes) that fails the next N sends to an address, optionally only messages with a string
 * property (or duplicate-detection id) containing a given text. The sender gets the broker's error, as in life: at
 * the send, or at the commit of a transacted session.
 */
public final class BrokerRefusals implements ActiveMQServerMessagePlugin, AutoCloseable {

    private final ActiveMQServer server;
    private final String address;
    private final String containing;
    private final AtomicInteger left;
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger seen = new AtomicInteger();

    private BrokerRefusals(ActiveMQServer server, String address, String containing, int times) {
        this.server = server;
        this.address = address;
        this.containing = containing;
        this.left = new AtomicInteger(times);
    }

    /** Refuses the next {@code times} sends to the address whose properties contain {@code containing} (null: any). */
    public static BrokerRefusals refuseSends(ActiveMQServer server, String address, String containing, int times) {
        BrokerRefusals faults = new BrokerRefusals(server, address, containing, times);
        server.registerBrokerPlugin(faults);
        return faults;
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                           boolean noAutoCreateQueue) throws ActiveMQException {
        if (!address.equals(String.valueOf(message.getAddress())) || !matches(message)) {
            return;
        }
        seen.incrementAndGet();
        if (left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            refused.incrementAndGet();
            ActiveMQException e = new ActiveMQException(ActiveMQExceptionType.IO_ERROR, "test: the broker refuses sends to " + address);
            if (tx != null) {
                // a send in a transaction is not answered one by one: the broker fails the commit, as it does for a
                // duplicate or a full address
                tx.markAsRollbackOnly(e);
                return;
            }
            throw e;
        }
    }

    private boolean matches(Message message) {
        if (containing == null) {
            return true;
        }
        for (var name : message.getPropertyNames()) {
            Object value = message.getObjectProperty(name);
            if (value != null && value.toString().contains(containing)) {
                return true;
            }
        }
        return false;
    }

    /** Sends to the address that matched, refused or not (duplicates the broker drops included). */
    public int seen() {
        return seen.get();
    }

    public int refused() {
        return refused.get();
    }

    /** Whether every refusal asked for has happened. */
    public boolean used() {
        return left.get() == 0;
    }

    @Override
    public void close() {
        server.unRegisterBrokerPlugin(this);
    }
}
