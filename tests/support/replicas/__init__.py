"""Replica layouts beyond the original ("legacy") ones: each module registers its `Site`
subclasses with `tests.support.replica_server.register_layout`."""
