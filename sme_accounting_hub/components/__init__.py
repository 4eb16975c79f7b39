from . import push_event_listener
