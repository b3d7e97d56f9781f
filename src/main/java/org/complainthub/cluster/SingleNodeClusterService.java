package org.complainthub.cluster;

import java.util.List;
import java.util.Optional;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

/**
 * {@code hub.cluster.service=none}: one node, which leads every namespace from the start. The routes under
 * {@code master:} then run as they would without it (camel-master starts each poller about a second after the route),
 * and no coordination service is needed. Two nodes set to {@code none} both poll: that is what it means.
 */
final class SingleNodeClusterService extends AbstractCamelClusterService<SingleNodeClusterService.View> {

    SingleNodeClusterService(String id) {
        super(id);
    }

    @Override
    protected View createView(String namespace) {
        return new View(this, namespace);
    }

    static final class View extends AbstractCamelClusterView {

        private final CamelClusterMember self;

        View(CamelClusterService service, String namespace) {
            super(service, namespace);
            this.self = new CamelClusterMember() {
                @Override
                public boolean isLeader() {
                    return true;
                }

                @Override
                public boolean isLocal() {
                    return true;
                }

                @Override
                public String getId() {
                    return service.getId();
                }
            };
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return self;
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return Optional.of(self);
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(self);
        }

        @Override
        protected void doStart() {
            // listeners added before the start hear it now; those added later are told by addEventListener
            fireLeadershipChangedEvent(self);
        }

        @Override
        protected void doStop() {
            // nothing held
        }
    }
}
