#!/bin/sh
# The two servers of the hub's Artemis pair (replication, no shared disk), as BrokerFailoverRun makes them on loopback
# (./mvnw -B -Pbroker-pair test). Run the first command on broker-1, the second on broker-2, with Artemis 2.40's
# bin/artemis from the distribution; then replace each etc/broker.xml by broker-primary.xml / broker-backup.xml of this
# folder (they add the hub's queues, the desk diverts and the persisted duplicate-id cache), or add those parts by hand.
# ARTEMIS_PASSWORD: the hub's login (spring.artemis.password); ARTEMIS_CLUSTER_PASSWORD: the servers' own login to each
# other, the same on both. The hub's URL for the pair is in README.md here.
set -eu
common="--silent --user hub --password $ARTEMIS_PASSWORD --role amq --require-login --no-web
  --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor --no-hornetq-acceptor --default-port 61616
  --replicated --clustered --cluster-user hub-cluster --cluster-password $ARTEMIS_CLUSTER_PASSWORD"

case "${1:-}" in
  primary) artemis create $common --host broker-1 --name primary --staticCluster tcp://broker-2:61616 /var/lib/artemis-hub ;;
  backup)  artemis create $common --host broker-2 --name backup --backup --staticCluster tcp://broker-1:61616 /var/lib/artemis-hub ;;
  *) echo "usage: $0 primary|backup" >&2; exit 2 ;;
esac
