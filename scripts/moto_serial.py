"""moto_server with requests handled one at a time.

moto applies a TransactWriteItems step by step and, when one condition fails, restores a deep copy
of each table taken before the transaction. Under concurrent requests that copy can hold another
request's half-applied transaction, and restoring it undoes writes that request already
acknowledged: counters drift, uniqueness claims vanish. DynamoDB transactions are serializable;
one request at a time gives the stand-in the same guarantee. Same flags as `moto_server`.
"""

import threading

from moto import server
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

_lock = threading.Lock()
_dispatch = DomainDispatcherApplication.__call__


def _serial(self, environ, start_response):
    with _lock:
        # moto builds the whole body before returning, so the lock covers the complete request.
        return list(_dispatch(self, environ, start_response))


DomainDispatcherApplication.__call__ = _serial

if __name__ == "__main__":
    server.main()
