"""Set-up of the tests that run inside an edx-platform tree (``make test-openedx``).

These tests are not part of ``make test``: they import the platform (``lms``, ``cms``,
``xmodule``, ``common``) and run under its own settings (``lms.envs.test`` or
``cms.envs.test``) and its own conftest, loaded as a plugin by ``tools/openedx/run-tests``.
This file adds only what this machine lacks: a MongoDB server. The platform's test settings
point the modulestore (split) and the contentstore (GridFS) at MongoDB on localhost; here
the driver's client is mongomock's in-memory one, for the whole session, before the
modulestore first connects.
"""
import mongomock
import mongomock.database
import mongomock.gridfs
import pymongo

_mongomock_command = mongomock.database.Database.command
# Handshake commands the modulestore sends to check its connection; mongomock knows "ping".
_HANDSHAKES = ("ismaster", "isMaster", "hello")


def _command(database, command, **kwargs):
    names = (command,) if isinstance(command, str) else tuple(command)
    if any(name in _HANDSHAKES for name in names):
        return {"ok": 1.0, "ismaster": True, "isWritablePrimary": True}
    return _mongomock_command(database, command, **kwargs)


mongomock.database.Database.command = _command
pymongo.MongoClient = mongomock.MongoClient
mongomock.gridfs.enable_gridfs_integration()
