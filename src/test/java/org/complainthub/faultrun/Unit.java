package org.complainthub.faultrun;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One complaint the run offers the hub: its channel, its number within the channel and the marker it carries in its
 * text (found again on the queues). The source's view of it: sent; taken (a 2xx, a mail moved out of the inbox, a file in
 * done/); refused for good (a 4xx other than 429, which a sender does not retry); or still waiting at the end.
 */
final class Unit {

    enum State { SENT, ACCEPTED, REFUSED }

    final Channel channel;
    final int seq;
    final String marker;
    final AtomicInteger attempts = new AtomicInteger();
    private volatile State state = State.SENT;
    private volatile String answer;

    Unit(Channel channel, int seq, String marker) {
        this.channel = channel;
        this.seq = seq;
        this.marker = marker;
    }

    State state() {
        return state;
    }

    /** The source was told it was taken (e.g. the 2xx body). */
    void accepted(String answer) {
        this.answer = answer;
        state = State.ACCEPTED;
    }

    void refused(String answer) {
        this.answer = answer;
        state = State.REFUSED;
    }

    String answer() {
        return answer;
    }
}
