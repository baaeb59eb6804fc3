#!/usr/bin/python3
"""Run nova's own live-detach code (nova 26.x, Zed) against a real libvirtd.

What is nova's: the eventlet monkey patching nova-compute does first, oslo.log
set up as nova-compute sets it up (nova's defaults, DEBUG into a file), the
real LibvirtDriver with its real Host (libvirt connection, native event thread
and green dispatch thread, so libvirt's device-removed events reach the
driver's AsyncDeviceEventsHandler as in nova-compute), the Guest wrapper of the
real domain, and LibvirtDriver._detach_with_retry called exactly as
LibvirtDriver.detach_volume calls it (get_dev = partial(guest.get_disk, dev)).

What is the harness's: the request context (no API request here: a
RequestContext with made-up user and project ids) and the instance, of which
nova's code reads only .uuid (the libvirt domain's UUID) and .name. Nothing on
the libvirt side is mocked.

usage: detach_harness.py URI DOMAIN_UUID DOMAIN_NAME DEVICE LOGFILE ATTEMPTS TIMEOUT
"""
import nova.monkey_patch  # noqa: F401  (nova-compute's first import)

import functools
import sys
import traceback
import types

from oslo_log import log as logging

import nova.conf
from nova import config
from nova import context as nova_context
from nova import exception
from nova.virt.libvirt import driver as libvirt_driver

CONF = nova.conf.CONF


def main():
    uri, uuid, name, dev, logfile, attempts, timeout = sys.argv[1:8]
    # nova-compute's own start: nova.config.parse_args registers and parses
    # its options and sets up oslo.log; no config file, options set below
    config.parse_args(['nova-compute', '--debug', '--log-file', logfile],
                      default_config_files=[])
    CONF.set_override('virt_type', 'qemu', group='libvirt')
    CONF.set_override('connection_uri', uri, group='libvirt')
    CONF.set_override('device_detach_attempts', int(attempts), group='libvirt')
    CONF.set_override('device_detach_timeout', int(timeout), group='libvirt')
    logging.setup(CONF, 'nova')

    # the harness's: a request context (stored as the thread's current one, so
    # the records carry its request id as nova-compute's do) and the instance
    ctxt = nova_context.RequestContext(
        user_id='5c7e0c6f3a0a4b6c9d0e1f2a3b4c5d6e',
        project_id='0f1e2d3c4b5a69788796a5b4c3d2e1f0', is_admin=True)
    instance = types.SimpleNamespace(uuid=uuid, name=name)

    drv = libvirt_driver.LibvirtDriver(virtapi=None, read_only=False)
    drv._host.initialize()   # what init_host does first: event threads
    guest = drv._host.get_guest(instance)
    get_dev = functools.partial(guest.get_disk, dev)
    try:
        drv._detach_with_retry(guest, instance.uuid, get_dev, device_name=dev)
        result = 'detached'
    except exception.DeviceDetachFailed as e:
        # nova's compute manager would log this exception with its traceback;
        # the harness writes nothing into nova's log: the exception goes to
        # its own output (harness-output.txt)
        traceback.print_exc(file=sys.stdout)
        result = 'DeviceDetachFailed: %s' % e
    print(result)
    del ctxt


if __name__ == '__main__':
    main()
