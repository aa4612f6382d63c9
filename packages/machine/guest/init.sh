#!/bin/busybox sh
# Our init for the Cartesi machine image (the Lua CLI boots with init=/usr/sbin/cartesi-init). It does what Cartesi's
# cartesi-init does for a command run (mounts, loopback, the CLI's init lines, the entrypoint as $USER) plus two
# things our image needs: a fixed entropy seed (no hardware RNG: getrandom() would block Node forever) and a halt
# that carries the entrypoint's exit code to the host (our kernel has no Cartesi driver for xhalt).
busybox mount -o nosuid,nodev,noexec -t proc proc /proc
busybox mount -o nosuid,nodev,noexec -t sysfs sys /sys
busybox mount -o nosuid,nodev,mode=1777 -t tmpfs tmpfs /tmp
busybox mount -o nosuid,nodev,mode=0755 -t tmpfs tmpfs /run
busybox mkdir -p /dev/shm && busybox mount -o nosuid,nodev,mode=1777 -t tmpfs tmpfs /dev/shm
busybox ifconfig lo up
/usr/sbin/tt-seed-entropy || busybox echo "init: no entropy seed: node will hang" >&2
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

# the CLI's init lines: USER=dapp, mounting the flash drives, --append-init
[ -f /proc/device-tree/cartesi-machine/init ] && . /proc/device-tree/cartesi-machine/init

if [ -s /proc/device-tree/cartesi-machine/entrypoint ]; then
    USER=${USER:-root}
    HOME=$(busybox awk -F: -v u="$USER" '$1 == u { print $6 }' /etc/passwd)
    (cd "${HOME:-/}" && USER=$USER LOGNAME=$USER HOME=$HOME busybox su -p "$USER" -s /bin/sh -c ". /proc/device-tree/cartesi-machine/entrypoint")
    RC=$?
else
    busybox echo "init: nothing to do"
    RC=0
fi

busybox sync
busybox mount -o ro,remount / 2>/dev/null
exec /usr/sbin/tt-halt "$RC"
