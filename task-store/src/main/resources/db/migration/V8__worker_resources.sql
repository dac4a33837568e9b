-- Each worker's host readings as its latest heartbeat reported them (issue 4's resource gate); null when the worker
-- predates the gate or could not take the reading.
alter table workers
    add column memory_available_bytes bigint,           -- memory a new session could use
    add column memory_total_bytes     bigint,           -- host memory, or the container's limit when lower
    add column cpu_busy               double precision, -- fraction of the CPUs busy over the worker's gate window, 0..1
    add column load1                  double precision, -- one-minute load average
    add column gate_open              boolean;          -- readings within the worker's thresholds (it takes more work)
