#!/usr/bin/env bash
# A single-node Slurm on this machine, for tests: munged, slurmctld and slurmd, with the key, the
# configuration, state, spool and logs all under one folder, so that nothing of the machine's own
# setup (/etc/slurm, /etc/munge) is used or changed.
#   local-slurm.sh start DIR   starts it; then `export SLURM_CONF=DIR/slurm.conf` for sbatch & co.
#   local-slurm.sh stop DIR    cancels its jobs and stops the daemons
# Finished jobs are listed in DIR/log/jobcomp.txt (jobcomp/filetxt): without slurmdbd, sacct has
# no data. Ports: STRIDE_SLURM_PORT (default 16817) and the one after it, away from a real
# cluster's 6817/6818 on the same machine.
set -euo pipefail
action=${1:?usage: local-slurm.sh start|stop DIR}
dir=$(realpath -m "${2:?usage: local-slurm.sh start|stop DIR}")
port=${STRIDE_SLURM_PORT:-16817}
export SLURM_CONF=$dir/slurm.conf

stop() {
  scancel --full --user="$(id -un)" 2>/dev/null || true
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$pidfile"
  done
}

start() {
  for tool in munged slurmctld slurmd sbatch; do
    command -v "$tool" >/dev/null || { echo "$tool not found: run 'make deps-slurm' first" >&2; exit 1; }
  done
  mkdir -p "$dir"/munge "$dir"/state "$dir"/spool "$dir"/log
  chmod 700 "$dir/munge"
  [ -f "$dir/munge/munge.key" ] || { head -c 1024 /dev/urandom > "$dir/munge/munge.key"; chmod 400 "$dir/munge/munge.key"; }
  # --force: munged refuses folders it judges insecure (a temporary folder's parents may be).
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"

  local host cpus mem user
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
  user=$(id -un)
  # In a container there is no cgroup to give slurmd: processes are tracked by their parent ids
  # (proctrack/linuxproc) and tasks are pinned to their CPUs by affinity alone (task/affinity),
  # which is what a cell counts as its cores.
  cat > "$SLURM_CONF" <<CONF
ClusterName=stride-test
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
SlurmUser=$user
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=${STRIDE_SLURM_TASK_PLUGIN:-task/affinity}
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=600
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  slurmctld -f "$SLURM_CONF"
  slurmd -f "$SLURM_CONF"
  for _ in $(seq 60); do
    if sinfo --noheader --format=%t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
      echo "single-node Slurm up in $dir ($host, $cpus CPUs); export SLURM_CONF=$SLURM_CONF"
      return 0
    fi
    sleep 0.5
  done
  echo "Slurm did not come up; its logs:" >&2
  tail -n 20 "$dir"/log/*.log >&2
  stop
  exit 1
}

case $action in
  start) start ;;
  stop) stop ;;
  *) echo "usage: local-slurm.sh start|stop DIR" >&2; exit 2 ;;
esac
