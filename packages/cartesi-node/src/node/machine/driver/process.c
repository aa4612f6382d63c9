/*
 * tt_process: the few POSIX calls the machine driver (driver.lua) needs and Lua 5.4 lacks, for snapshots by fork,
 * as Cartesi's remote machine server takes them: the live process forks a worker that runs one request; the live
 * process waits. A worker whose request was rejected (or that only served an inspect) exits, and the live process
 * carries on with the machine exactly as it was; a worker whose input was accepted stops itself, the live process sees
 * it stopped, wakes it and exits, and the worker is the live process from then on. The process the node started
 * stays as a keeper (a child subreaper) until all of them are gone, so the node sees one process for the whole driver.
 * Plus hex, in C for speed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

static int fail(lua_State *L, const char *what) {
    return luaL_error(L, "%s: %s", what, strerror(errno));
}

static int l_fork(lua_State *L) {
    pid_t pid = fork();
    if (pid < 0) return fail(L, "fork");
    lua_pushinteger(L, pid);
    return 1;
}

/* wait(pid) -> "exited", code | "signaled", signal | "stopped", signal */
static int l_wait(lua_State *L) {
    pid_t pid = (pid_t)luaL_checkinteger(L, 1);
    int status;
    pid_t r;
    do r = waitpid(pid, &status, WUNTRACED);
    while (r < 0 && errno == EINTR);
    if (r < 0) return fail(L, "waitpid");
    if (WIFSTOPPED(status)) {
        lua_pushliteral(L, "stopped");
        lua_pushinteger(L, WSTOPSIG(status));
    } else if (WIFSIGNALED(status)) {
        lua_pushliteral(L, "signaled");
        lua_pushinteger(L, WTERMSIG(status));
    } else {
        lua_pushliteral(L, "exited");
        lua_pushinteger(L, WEXITSTATUS(status));
    }
    return 2;
}

/* Orphaned descendants become this process's children (so it can outlive the hand-overs and wait for them all). */
static int l_subreaper(lua_State *L) {
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) return fail(L, "prctl(PR_SET_CHILD_SUBREAPER)");
    return 0;
}

/* Waits for any child to end; returns its pid, or nil when there are no children left. */
static int l_wait_any(lua_State *L) {
    int status;
    pid_t r;
    do r = waitpid(-1, &status, 0);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        if (errno == ECHILD) return 0;
        return fail(L, "waitpid");
    }
    lua_pushinteger(L, r);
    return 1;
}

/* The worker asks to take the live process's place: it stops until the live process wakes it (then exits). */
static int l_stop_self(lua_State *L) {
    if (raise(SIGSTOP) != 0) return fail(L, "raise(SIGSTOP)");
    return 0;
}

static int l_resume(lua_State *L) {
    if (kill((pid_t)luaL_checkinteger(L, 1), SIGCONT) != 0) return fail(L, "kill(SIGCONT)");
    return 0;
}

/* _exit: no Lua finalizers, no atexit handlers, no stdio flush (the machine belongs to the other process now). */
static int l_exit(lua_State *L) {
    _exit((int)luaL_optinteger(L, 1, 0));
    return 0;
}

static int l_getpid(lua_State *L) {
    lua_pushinteger(L, getpid());
    return 1;
}

/* Seconds on the monotonic clock, for the rate the progress reports carry. */
static int l_now(lua_State *L) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    lua_pushnumber(L, (lua_Number)t.tv_sec + (lua_Number)t.tv_nsec / 1e9);
    return 1;
}

static int close_stream(lua_State *L) {
    luaL_Stream *p = (luaL_Stream *)luaL_checkudata(L, 1, LUA_FILEHANDLE);
    return luaL_fileresult(L, fclose(p->f) == 0, NULL);
}

/* fdopen(fd, mode): an inherited descriptor as a Lua file (the node's answer channel is a socket, which
 * io.open("/proc/self/fd/N") cannot reopen). */
static int l_fdopen(lua_State *L) {
    int fd = (int)luaL_checkinteger(L, 1);
    const char *mode = luaL_checkstring(L, 2);
    luaL_Stream *p = (luaL_Stream *)lua_newuserdatauv(L, sizeof(luaL_Stream), 0);
    p->closef = NULL;
    luaL_setmetatable(L, LUA_FILEHANDLE);
    p->f = fdopen(fd, mode);
    if (!p->f) return luaL_fileresult(L, 0, NULL);
    p->closef = &close_stream;
    return 1;
}

/* Bytes to lower-case hex and back, without a Lua call per byte (payloads and outputs reach 2 MiB). */
static int l_tohex(lua_State *L) {
    size_t n;
    const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &n);
    static const char digits[] = "0123456789abcdef";
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, 2 * n);
    for (size_t i = 0; i < n; i++) p[2 * i] = digits[s[i] >> 4], p[2 * i + 1] = digits[s[i] & 15];
    luaL_pushresultsize(&b, 2 * n);
    return 1;
}

static int nibble(int c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int l_fromhex(lua_State *L) {
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    if (n % 2) return luaL_error(L, "hex of odd length");
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, n / 2);
    for (size_t i = 0; i < n / 2; i++) {
        int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
        if (hi < 0 || lo < 0) return luaL_error(L, "not hex at %d", (int)(2 * i));
        p[i] = (char)(hi << 4 | lo);
    }
    luaL_pushresultsize(&b, n / 2);
    return 1;
}

int luaopen_tt_process(lua_State *L) {
    static const luaL_Reg fns[] = {
        {"fork", l_fork}, {"wait", l_wait}, {"stop_self", l_stop_self}, {"resume", l_resume},
        {"exit", l_exit}, {"getpid", l_getpid}, {"now", l_now}, {"tohex", l_tohex},
        {"fromhex", l_fromhex}, {"fdopen", l_fdopen}, {"subreaper", l_subreaper},
        {"wait_any", l_wait_any}, {NULL, NULL},
    };
    luaL_newlib(L, fns);
    return 1;
}
