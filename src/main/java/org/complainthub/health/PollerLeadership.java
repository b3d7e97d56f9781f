package org.complainthub.health;

/**
 * Whether this node is the one that polls a channel's source now. With several nodes a poller runs on one of them at a
 * time (camel-master); on the others it waits, and must not look stale there. A single node leads everything.
 */
public interface PollerLeadership {

    /** False only while another node polls this channel's source. */
    boolean leadsHere(String channel);
}
