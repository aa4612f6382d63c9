-- The node's driver of one Cartesi machine (machine mode of @tt/cartesi-node), through the emulator's Lua API
-- (cartesi/machine-emulator v0.16, the Rollups v1 generation). The node writes one command per line on stdin and
-- reads the answers on fd 3, one per line; the machine's console stays on stdout. Every command ends with
-- `done <root hash>` (the live machine's, after the command) or `error <message>`.
--
--   boot <config.lua>        create the machine and run it to its first manual yield (the backend's first /finish)
--   load <dir>               a machine stored by `store`; its root hash is recomputed (the node compares it)
--   store <dir>              store the live machine into <dir>.partial, renamed to <dir> once complete
--   advance <meta> <rx>      one input: hex of the 5 metadata words and of abi.encode(bytes payload)
--   inspect <rx>             one inspect request
--   quit
--
-- While a request runs: `progress <cycles> <seconds>` every CHUNK cycles, and each output as the machine yields it,
-- `voucher|notice|report <hex of the tx buffer's abi encoding>`; then `outcome <status> <cycles>` with status
-- accepted, rejected, exception (after `exception <hex>`), halted or cycle-limit; after an accepted input,
-- `voucher-hash <hex>` and `notice-hash <hex>` for each hash the machine left in its hash ranges. A request that
-- failed in the driver itself says `worker-error <message>` before its `done` (the machine is unchanged).
--
-- Snapshots are forks, as in Cartesi's remote machine server: the live process forks a worker for each request and
-- waits. A worker whose input is not accepted, or that served an inspect, exits: the live process still holds the
-- machine exactly as before the request (same root hash, no reload). A worker whose input is accepted stops itself;
-- the live process wakes it and exits, and the worker is the live process from then on. The process the node started
-- only keeps the node's pipes open and waits for all of them.
--
--   lua5.4 driver.lua <max cycles per request>
local cartesi = require("cartesi")
local P = require("tt_process")

local max_cycles = math.tointeger(tonumber(arg[1])) or error("usage: driver.lua <max cycles per request>")
local CHUNK = 1 << 27 -- cycles between progress reports: under a second at the emulator's speed
local answers = assert(P.fdopen(3, "w"), "fd 3 (the answers) is not open")
local YIELD = cartesi.machine

-- The process the node started keeps the node's pipes and waits: the live process changes at every accepted input
-- (the node would see its child exit and close the pipes), and orphans come back to this one (a subreaper).
P.subreaper()
if P.fork() ~= 0 then
    while P.wait_any() do end
    P.exit(0)
end

local machine = nil
local ranges = nil -- the rollup memory ranges: start and length only (a stored machine's carry file names)
local live_hash = nil

local function say(...)
    if not (answers:write(table.concat({ ... }, " "), "\n") and answers:flush()) then
        P.exit(1) -- nobody reads the answers: the node is gone
    end
end

local function one_line(s)
    return (tostring(s):gsub("[\r\n]+", " "))
end

local function padded(n)
    return (n + 31) // 32 * 32
end

local function read_word_length(address)
    -- the length word's high 24 bytes are zero in anything the machine's server writes
    return string.unpack(">I8", machine:read_memory(address + 24, 8))
end

-- The output the machine just yielded, as the tx buffer holds it: a voucher is [address][0x40][length][payload],
-- a notice, report or exception [0x20][length][payload], payloads padded to 32 bytes.
local function tx_output(reason)
    local tx = ranges.tx_buffer
    local header = reason == YIELD.HTIF_YIELD_REASON_TX_VOUCHER and 96 or 64
    local total = header + padded(read_word_length(tx.start + header - 32))
    if total > tx.length then error(string.format("the machine yielded an output of %d bytes, beyond the tx buffer", total)) end
    return P.tohex(machine:read_memory(tx.start, total))
end

local KIND = {
    [YIELD.HTIF_YIELD_REASON_TX_VOUCHER] = "voucher",
    [YIELD.HTIF_YIELD_REASON_TX_NOTICE] = "notice",
    [YIELD.HTIF_YIELD_REASON_TX_REPORT] = "report",
}

-- Runs to the next manual yield, reporting progress and every automatic yield (an output) on the way. Returns
-- "yield", "halted" or "cycle-limit", and the cycles run.
local function run_to_manual_yield()
    local start = machine:read_mcycle()
    local limit = start + max_cycles
    local t0 = P.now()
    while true do
        machine:run(math.min(limit, machine:read_mcycle() + CHUNK))
        local cycles = machine:read_mcycle() - start
        if machine:read_iflags_H() then return "halted", cycles end
        if machine:read_iflags_Y() then return "yield", cycles end
        if machine:read_iflags_X() then
            local reason = machine:read_htif_tohost_data() >> 32
            local kind = KIND[reason]
            if kind then say(kind, tx_output(reason)) end
            machine:reset_iflags_X()
        elseif machine:read_mcycle() >= limit then
            return "cycle-limit", cycles
        else
            say("progress", cycles, string.format("%.3f", P.now() - t0))
        end
    end
end

local function yield_reason()
    return machine:read_htif_tohost_data() >> 32
end

local function hash_range(range, kind)
    for k = 0, range.length // 32 - 1 do
        local h = machine:read_memory(range.start + 32 * k, 32)
        if h == string.rep("\0", 32) then return end
        say(kind, P.tohex(h))
    end
end

local function root_hash()
    return P.tohex(machine:get_root_hash())
end

local function use(m)
    local r = m:get_initial_config().rollup
    if not r then error("the machine has no rollup memory ranges") end
    machine = m
    ranges = {}
    for name, range in pairs(r) do ranges[name] = { start = range.start, length = range.length } end
end

-- Writes the request into the rollup ranges (zeroed first, as the v1 node does) and resumes the machine from its
-- manual yield with the request type in fromhost (0 advance, 1 inspect).
local function feed(kind, meta, rx)
    local names = kind == "advance" and { "input_metadata", "rx_buffer", "voucher_hashes", "notice_hashes" }
        or { "rx_buffer" }
    for _, name in ipairs(names) do machine:replace_memory_range(ranges[name]) end
    if #rx > ranges.rx_buffer.length then error("the request does not fit the rx buffer") end
    machine:write_memory(ranges.rx_buffer.start, rx)
    if meta then machine:write_memory(ranges.input_metadata.start, meta) end
    machine:reset_iflags_Y()
    machine:write_htif_fromhost_data(kind == "advance" and 0 or 1)
end

-- The worker's part of a request: returns true when the input was accepted (the worker takes over).
local function serve(kind, meta, rx)
    feed(kind, meta and P.fromhex(meta), P.fromhex(rx))
    local how, cycles = run_to_manual_yield()
    if how ~= "yield" then
        say("outcome", how, cycles)
        return false
    end
    local reason = yield_reason()
    if reason == YIELD.HTIF_YIELD_REASON_TX_EXCEPTION then
        say("exception", tx_output(reason))
        say("outcome", "exception", cycles)
        return false
    end
    if reason ~= YIELD.HTIF_YIELD_REASON_RX_ACCEPTED then
        say("outcome", reason == YIELD.HTIF_YIELD_REASON_RX_REJECTED and "rejected" or "reason-" .. reason, cycles)
        return false
    end
    say("outcome", "accepted", cycles)
    if kind ~= "advance" then return false end -- an inspect changes nothing, accepted or not
    hash_range(ranges.voucher_hashes, "voucher-hash")
    hash_range(ranges.notice_hashes, "notice-hash")
    return true
end

local function request(kind, meta, rx)
    if not machine then error("no machine: boot or load one first") end
    io.stdout:flush()
    answers:flush()
    local pid = P.fork()
    if pid == 0 then
        local ok, accepted = pcall(serve, kind, meta, rx)
        if not ok then say("worker-error", one_line(accepted)) end
        if ok and accepted then
            local h = root_hash()
            io.stdout:flush()
            P.stop_self() -- the live process wakes us and leaves: from here on this process is the live one
            live_hash = h
            return
        end
        io.stdout:flush()
        answers:flush()
        P.exit(ok and 0 or 1)
    end
    local how, code = P.wait(pid)
    if how == "stopped" then
        P.resume(pid)
        P.exit(0)
    end
    if how ~= "exited" then say("worker-error", "the worker running the request died (" .. how .. " " .. code .. ")") end
end

local commands = {
    boot = function(path)
        -- the node writes what it sets; everything else (processor, CLINT, TLB, uarch) is the emulator's default
        local config = dofile(path)
        for k, v in pairs(cartesi.machine.get_default_config()) do
            if config[k] == nil then
                config[k] = v
            elseif type(v) == "table" then
                for kk, vv in pairs(v) do
                    if config[k][kk] == nil then config[k][kk] = vv end
                end
            end
        end
        use(cartesi.machine(config))
        local how, cycles = run_to_manual_yield()
        if how ~= "yield" then error(string.format("the machine stopped (%s after %d cycles) before its first finish", how, cycles)) end
        if yield_reason() ~= YIELD.HTIF_YIELD_REASON_RX_ACCEPTED then
            error("the machine's first manual yield is not an accepting finish (reason " .. yield_reason() .. ")")
        end
        say("booted", cycles)
        live_hash = root_hash()
    end,
    load = function(dir)
        -- no check against the stored hash file: the root hash is recomputed here and the node compares it with
        -- the hash its own store recorded for this state
        use(cartesi.machine(dir, { skip_root_hash_check = true }))
        live_hash = root_hash()
    end,
    store = function(dir)
        if not machine then error("no machine to store") end
        machine:store(dir .. ".partial")
        assert(os.rename(dir .. ".partial", dir))
    end,
    advance = function(meta, rx)
        request("advance", meta, rx)
    end,
    inspect = function(rx)
        request("inspect", nil, rx)
    end,
}

for line in io.stdin:lines() do
    local words = {}
    for w in line:gmatch("%S+") do words[#words + 1] = w end
    local name = table.remove(words, 1)
    if name == "quit" then break end
    local command = commands[name]
    if not command then
        say("error", "unknown command " .. tostring(name))
    else
        local ok, err = pcall(command, table.unpack(words))
        if ok then
            say("done", live_hash or "-")
        else
            say("error", one_line(err))
        end
    end
end
