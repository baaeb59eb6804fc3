#!/usr/bin/python3
"""Run nova's own live migration code (nova 26.x, Zed) between two real libvirtds.

What is nova's: as detach_harness.py (start-up, oslo.log, the real
LibvirtDriver with its Host and Guest), plus LibvirtDriver._live_migration:
its operation thread (_live_migration_operation: the destination XML from
get_updated_guest_xml, guest.migrate with nova's own migration flags from
_parse_migration_flags, as init_host computes them) and its monitor
(_live_migration_monitor: libvirt's job info every 0.5 s, downtime steps,
progress, the end), with a real LibvirtLiveMigrateData.

What is the harness's: the request context, the instance (uuid, name, the
flavor's memory and extra specs, vm_state; save() keeps nothing: there is no
database here) and the migration record (status; save() likewise), and the
compute manager's post_method and recover_method, which here do nothing but
say they were called (on stdout, never into nova's log). Nothing on the
libvirt side is mocked.

usage: migrate_harness.py SRC_URI DEST_URI_WITH_%s UUID NAME LOGFILE BANDWIDTH_MIB
"""
import nova.monkey_patch  # noqa: F401  (nova-compute's first import)

import sys
import types

from oslo_log import log as logging

import nova.conf
from nova import config
from nova import context as nova_context
from nova import objects
from nova.virt.libvirt import driver as libvirt_driver

CONF = nova.conf.CONF


class Record(types.SimpleNamespace):
    """A database record's stand-in: its save() keeps nothing (no database)."""

    def save(self):
        pass

    def obj_attr_is_set(self, name):
        return hasattr(self, name)

    def __getitem__(self, name):
        # oslo.log formats "[instance: %(uuid)s] " from the instance as a
        # mapping, as nova's objects allow
        return getattr(self, name)


def main():
    src_uri, dest_uri, uuid, name, logfile, bandwidth = sys.argv[1:7]
    config.parse_args(['nova-compute', '--debug', '--log-file', logfile],
                      default_config_files=[])
    CONF.set_override('virt_type', 'qemu', group='libvirt')
    CONF.set_override('connection_uri', src_uri, group='libvirt')
    # the destination's libvirtd listens on a private socket, not on TCP:
    # [libvirt] live_migration_uri (deprecated, still read in Zed) names it
    CONF.set_override('live_migration_uri', dest_uri, group='libvirt')
    CONF.set_override('live_migration_bandwidth', int(bandwidth), group='libvirt')
    logging.setup(CONF, 'nova')
    objects.register_all()

    ctxt = nova_context.RequestContext(
        user_id='5c7e0c6f3a0a4b6c9d0e1f2a3b4c5d6e',
        project_id='0f1e2d3c4b5a69788796a5b4c3d2e1f0', is_admin=True)
    flavor = types.SimpleNamespace(memory_mb=128, extra_specs={})
    instance = Record(uuid=uuid, name=name, vm_state='active', flavor=flavor,
                      progress=0, resources=None)
    migration = Record(status='running')

    drv = libvirt_driver.LibvirtDriver(virtapi=None, read_only=False)
    drv._host.initialize()
    drv._parse_migration_flags()   # what init_host does
    migrate_data = objects.LibvirtLiveMigrateData(
        block_migration=False, serial_listen_addr=None, serial_listen_ports=[],
        target_connect_addr='127.0.0.1', bdms=[],
        graphics_listen_addr_vnc='127.0.0.1',
        graphics_listen_addr_spice='127.0.0.1', supported_perf_events=[])
    # a Migration object's field: set without its type check (no database)
    migrate_data.__dict__['_obj_migration'] = migration

    def post_method(context, inst, dest, block_migration, data):
        print('harness: post_method called')

    def recover_method(context, inst, dest, data, migration_status='error'):
        print('harness: recover_method called, migration_status=%s'
              % migration_status)

    drv._live_migration(ctxt, instance, '', post_method, recover_method,
                        False, migrate_data)
    print('harness: _live_migration returned')


if __name__ == '__main__':
    main()
