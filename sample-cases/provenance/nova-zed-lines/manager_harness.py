#!/usr/bin/python3
"""Run nova's own compute manager (nova 26.x, Zed) over a live migration between two real libvirtds.

What is nova's: as migrate_harness.py (start-up, oslo.log, the real
LibvirtDriver with its Host and Guest, its live migration code), plus the real
ComputeManager built as nova-compute builds it (its ComputeVirtAPI, its
libvirt driver loaded from [DEFAULT] compute_driver, its resource tracker),
and ComputeManager._do_live_migration called as ComputeManager.live_migration
has it called (the instance queued in _waiting_live_migrations first): the
migration's statuses, the pre-live-migration step, the driver's
live_migration with the manager's _post_live_migration_update_host and
_rollback_live_migration as its callbacks, the exception path that logs
'Live migration failed.', and _post_live_migration, which logs 'Migrating
instance to ... finished successfully.'. The instance, the migration record,
the block device mapping list, the request context and the migrate data are
nova's own objects; the harness fills in the fields nova's code reads (a
1 GiB flavor, an empty network info cache, no volumes, no PCI devices, no
NUMA topology), since none can be loaded from a database here.

What is the harness's (mocked: whatever needs a database, RPC, the
notification bus, placement, the network or the volume service, none of
which exists here):
  database:      Instance.save, Instance.refresh, Migration.save (keep
                 nothing), BlockDeviceMappingList.get_by_instance_uuid (an
                 empty list: no volumes), ConsoleAuthToken
                 .clean_console_auths_for_instance (nothing),
                 the resource tracker's free_pci_device_allocations_for_instance
                 (its PCI tracker is loaded from the database) and the
                 manager's update_available_resource (database and placement)
  RPC:           compute_rpcapi.pre_live_migration (returns the migrate data
                 it was given: no destination compute service runs),
                 compute_rpcapi.post_live_migration_at_destination (nothing),
                 the manager's _update_scheduler_instance_info (nothing)
  notifications: the manager's _notify_about_instance_usage and
                 compute_utils.notify_about_instance_action (nothing)
  placement:     the manager's SchedulerReportClient (a MagicMock, made
                 before the manager, which hands it to its resource tracker)
                 and its _delete_allocation_after_move (nothing)
  network:       network_api.migrate_instance_start (nothing)
  volumes:       nothing to mock: with no block device mappings nova never
                 calls cinder
None of them writes into nova's log; each call is printed on stdout. Nothing
on the libvirt side is mocked. oslo.messaging's transport is its in-process
'fake://' one (nova.rpc.init needs one; every RPC method used is mocked).

usage: manager_harness.py SRC_URI DEST_URI_WITH_%s INSTANCE_UUID INSTANCE_ID DEST_HOST LOGFILE BANDWIDTH_MIB
"""
import nova.monkey_patch  # noqa: F401  (nova-compute's first import)

import sys
import traceback
from unittest import mock

from oslo_log import log as logging

import nova.conf
from nova.compute import manager as compute_manager
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova import config
from nova import context as nova_context
from nova.network import model as network_model
from nova import objects
from nova import rpc

CONF = nova.conf.CONF


def stub(name, result=None):
    def call(*args, **kwargs):
        print('harness: %s called' % name)
        return result
    return call


def main():
    src_uri, dest_uri, uuid, inst_id, dest, logfile, bandwidth = sys.argv[1:8]
    config.parse_args(['nova-compute', '--debug', '--log-file', logfile],
                      default_config_files=[])
    CONF.set_override('compute_driver', 'libvirt.LibvirtDriver')
    CONF.set_override('transport_url', 'fake://')
    CONF.set_override('virt_type', 'qemu', group='libvirt')
    CONF.set_override('connection_uri', src_uri, group='libvirt')
    # the destination's libvirtd listens on a private socket, not on TCP:
    # [libvirt] live_migration_uri (deprecated, still read in Zed) names it
    CONF.set_override('live_migration_uri', dest_uri, group='libvirt')
    CONF.set_override('live_migration_bandwidth', int(bandwidth),
                      group='libvirt')
    logging.setup(CONF, 'nova')
    objects.register_all()
    rpc.init(CONF)

    ctxt = nova_context.RequestContext(
        user_id='5c7e0c6f3a0a4b6c9d0e1f2a3b4c5d6e',
        project_id='0f1e2d3c4b5a69788796a5b4c3d2e1f0', is_admin=True)

    # placement: the compute manager's own report client (SchedulerReportClient
    # reaches placement through keystone as soon as it is made)
    placement = mock.patch.object(compute_manager.report,
                                  'SchedulerReportClient', mock.MagicMock())
    placement.start()
    manager = compute_manager.ComputeManager()
    manager.driver._host.initialize()   # what init_host does first
    manager.driver._parse_migration_flags()

    flavor = objects.Flavor(
        id=1, flavorid='1', name='m1.vmcase', memory_mb=1024, vcpus=1,
        root_gb=0, ephemeral_gb=0, swap=0, extra_specs={})
    instance = objects.Instance(
        context=ctxt, id=int(inst_id), uuid=uuid, host=CONF.host,
        node=CONF.host, vm_state=vm_states.ACTIVE, task_state='migrating',
        power_state=1, flavor=flavor, progress=0, resources=None,
        migration_context=None, system_metadata={}, metadata={},
        root_device_name=None, numa_topology=None,
        pci_devices=objects.PciDeviceList(objects=[]),
        info_cache=objects.InstanceInfoCache(
            instance_uuid=uuid, network_info=network_model.NetworkInfo([])),
        user_id=ctxt.user_id, project_id=ctxt.project_id)
    migration = objects.Migration(
        context=ctxt, id=1, uuid='9a1c0f3e-2b4d-4e6f-8a0b-00000000002d',
        instance_uuid=uuid, source_compute=CONF.host, dest_compute=dest,
        source_node=CONF.host, dest_node=dest, migration_type='live-migration',
        status='accepted')
    migrate_data = objects.LibvirtLiveMigrateData(
        block_migration=False, is_shared_instance_path=True,
        is_shared_block_storage=True, serial_listen_addr=None,
        serial_listen_ports=[], target_connect_addr='127.0.0.1', bdms=[],
        graphics_listen_addr_vnc='127.0.0.1',
        graphics_listen_addr_spice='127.0.0.1', supported_perf_events=[])

    patches = [
        mock.patch.object(objects.Instance, 'save', stub('Instance.save')),
        mock.patch.object(objects.Instance, 'refresh',
                          stub('Instance.refresh')),
        mock.patch.object(objects.Migration, 'save', stub('Migration.save')),
        mock.patch.object(
            objects.BlockDeviceMappingList, 'get_by_instance_uuid',
            stub('BlockDeviceMappingList.get_by_instance_uuid',
                 objects.BlockDeviceMappingList(objects=[]))),
        mock.patch.object(
            objects.ConsoleAuthToken, 'clean_console_auths_for_instance',
            stub('ConsoleAuthToken.clean_console_auths_for_instance')),
        mock.patch.object(
            manager.rt, 'free_pci_device_allocations_for_instance',
            stub('rt.free_pci_device_allocations_for_instance')),
        mock.patch.object(manager, 'update_available_resource',
                          stub('update_available_resource')),
        mock.patch.object(manager.compute_rpcapi, 'pre_live_migration',
                          stub('compute_rpcapi.pre_live_migration',
                               migrate_data)),
        mock.patch.object(manager.compute_rpcapi,
                          'post_live_migration_at_destination',
                          stub('compute_rpcapi.'
                               'post_live_migration_at_destination')),
        mock.patch.object(manager, '_update_scheduler_instance_info',
                          stub('_update_scheduler_instance_info')),
        mock.patch.object(manager, '_notify_about_instance_usage',
                          stub('_notify_about_instance_usage')),
        mock.patch.object(compute_utils, 'notify_about_instance_action',
                          stub('compute_utils.notify_about_instance_action')),
        mock.patch.object(manager, '_delete_allocation_after_move',
                          stub('_delete_allocation_after_move')),
        mock.patch.object(manager.network_api, 'migrate_instance_start',
                          stub('network_api.migrate_instance_start')),
    ]
    for p in patches:
        p.start()

    # what ComputeManager.live_migration does before it hands
    # _do_live_migration to its executor
    manager._set_migration_status(migration, 'queued')
    manager._waiting_live_migrations[instance.uuid] = (None, None)
    try:
        manager._do_live_migration(ctxt, dest, instance, False, migration,
                                   migrate_data)
        result = 'returned'
    except Exception as e:
        # in nova-compute the executor's future holds it; live_migration's
        # decorators (wrap_exception, errors_out_migration,
        # wrap_instance_fault) record it in the database and notifications
        traceback.print_exc(file=sys.stdout)
        result = 'raised %s' % type(e).__name__
    print('harness: _do_live_migration %s; migration status %s, instance '
          'vm_state %s, host %s' % (result, migration.status,
                                    instance.vm_state, instance.host))
    for p in patches:
        p.stop()
    placement.stop()


if __name__ == '__main__':
    main()
