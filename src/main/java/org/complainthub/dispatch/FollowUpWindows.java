package org.complainthub.dispatch;

import java.time.Duration;
import java.util.Optional;

/**
 * What a channel registers (a bean) when its customers are accounts: a record's customer.handle is a platform id, and
 * a message from the account within this window of its last message to its open complaint follows that complaint
 * instead of opening a new one. Dispatch keeps account threads only for the channels some registration names, and
 * decides the follow-ups itself ({@link ComplaintDispatch}): nothing of it travels as an exchange property, and dispatch
 * never looks into a channel.
 */
public interface FollowUpWindows {

    /** The follow-up window of this channel's accounts, or empty when the channel is not one of this registration's. */
    Optional<Duration> window(String channel);
}
