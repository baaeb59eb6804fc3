#!/usr/bin/python3
"""Run Wallaby's (nova 23.0.1's) own guest.py detach against a real libvirtd, inside nova 26.x (Zed).

Pike to Wallaby detached a device with Guest.detach_device_with_retry
(nova/virt/libvirt/guest.py): one detach from the persistent and the live
configuration ('Attempting initial detach for device ...'), then a retry loop
('Start retrying detach until device ... is gone.') that detaches from the
live configuration again until the device is gone or its retries run out.
Xena rewrote the detach (driver.py's _detach_with_retry, waiting for
libvirt's events), and nova 23.0.2 took that rewrite into Wallaby too, so
23.0.1 is the newest release with the old guest.py. Debian 12 ships nova 26
(Zed); this harness loads 23.0.1's guest.py, unchanged, as the module
nova.virt.libvirt.guest in place of Zed's, before anything imports it, so
that Zed's Host and LibvirtDriver make Wallaby's Guest of the real domain.

What is nova's: the eventlet monkey patching nova-compute does first, oslo.log
set up as nova-compute sets it up (DEBUG into a file), Zed's LibvirtDriver and
Host (libvirt connection and event threads), Wallaby's Guest wrapper of the
real domain and its detach_device_with_retry called exactly as Wallaby's
LibvirtDriver.detach_volume calls it (live when the guest runs, get_disk as
the look-up, the returned wait function called at once), with its own
default retries (7, sleeping 10 s more each time, at most 60 s).

What is the harness's: the request context (made-up user and project ids:
no API request here) and the instance, of which nova's code reads only .uuid
and .name. Nothing on the libvirt side is mocked.

usage: wallaby_detach_harness.py WALLABY_GUEST_PY URI DOMAIN_UUID DOMAIN_NAME DEVICE LOGFILE
"""
import nova.monkey_patch  # noqa: F401  (nova-compute's first import)

import importlib.util
import os
import sys
import traceback
import types

import nova.virt


def load_wallaby_guest(path):
    """Make nova.virt.libvirt.guest the file at path, before the package's own
    __init__ (which imports the driver, which imports guest) runs."""
    if 'nova.virt.libvirt' in sys.modules:
        raise SystemExit('nova.virt.libvirt was imported before the harness')
    pkgdir = os.path.join(os.path.dirname(nova.virt.__file__), 'libvirt')
    pkg_spec = importlib.util.spec_from_file_location(
        'nova.virt.libvirt', os.path.join(pkgdir, '__init__.py'),
        submodule_search_locations=[pkgdir])
    pkg = importlib.util.module_from_spec(pkg_spec)
    sys.modules['nova.virt.libvirt'] = pkg
    nova.virt.libvirt = pkg
    guest_spec = importlib.util.spec_from_file_location(
        'nova.virt.libvirt.guest', path)
    guest = importlib.util.module_from_spec(guest_spec)
    sys.modules['nova.virt.libvirt.guest'] = guest
    guest_spec.loader.exec_module(guest)
    pkg.guest = guest
    # the package's own __init__ now: Zed's driver (and host) take the guest
    # module from sys.modules
    pkg_spec.loader.exec_module(pkg)
    return guest


def main():
    guest_py, uri, uuid, name, dev, logfile = sys.argv[1:7]
    wallaby_guest = load_wallaby_guest(guest_py)

    from oslo_log import log as logging

    import nova.conf
    from nova.compute import power_state
    from nova import config
    from nova import context as nova_context
    from nova import exception
    from nova.virt.libvirt import driver as libvirt_driver

    CONF = nova.conf.CONF
    config.parse_args(['nova-compute', '--debug', '--log-file', logfile],
                      default_config_files=[])
    CONF.set_override('virt_type', 'qemu', group='libvirt')
    CONF.set_override('connection_uri', uri, group='libvirt')
    logging.setup(CONF, 'nova')

    ctxt = nova_context.RequestContext(
        user_id='5c7e0c6f3a0a4b6c9d0e1f2a3b4c5d6e',
        project_id='0f1e2d3c4b5a69788796a5b4c3d2e1f0', is_admin=True)
    instance = types.SimpleNamespace(uuid=uuid, name=name)

    drv = libvirt_driver.LibvirtDriver(virtapi=None, read_only=False)
    drv._host.initialize()   # what init_host does first: event threads
    # Wallaby's LibvirtDriver.detach_volume, its try block
    guest = drv._host.get_guest(instance)
    print('harness: guest is %s.%s from %s' % (
        type(guest).__module__, type(guest).__name__,
        sys.modules[type(guest).__module__].__file__))
    assert isinstance(guest, wallaby_guest.Guest)
    state = guest.get_power_state(drv._host)
    live = state in (power_state.RUNNING, power_state.PAUSED)
    try:
        wait_for_detach = guest.detach_device_with_retry(
            guest.get_disk, dev, live=live)
        wait_for_detach()
        result = 'detached'
    except exception.DeviceDetachFailed as e:
        # Wallaby's compute manager would log it; the harness writes nothing
        # into nova's log: the exception goes to its own output
        traceback.print_exc(file=sys.stdout)
        result = 'DeviceDetachFailed: %s' % e
    print(result)
    del ctxt


if __name__ == '__main__':
    main()
