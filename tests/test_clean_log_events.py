"""Log events whose header carries its time after a prefix of its own, shell runs and
Compose lines: the second occurrence of an error keeps its trace (try9 A3: Rust, PHP and
Rails traces went; three retry lines became one while the log said "after 3 attempts")."""

from __future__ import annotations

import pytest

from textdedup import CleanConfig, clean

_APACHE = """[Sun Mar 15 10:05:47.118 2026] [proxy_fcgi:error] [pid 2231] AH01071: Got error 'Primary script unknown'
  stack frame #0 mod_proxy_fcgi.c:1056 dispatch()
  stack frame #1 mod_proxy_fcgi.c:1209 proxy_fcgi_handler()
  stack frame #2 mod_proxy.c:1288 proxy_handler()
  stack frame #3 config.c:439 ap_run_handler()
[Sun Mar 15 10:05:52.904 2026] [core:notice] [pid 2231] child pid 2240 exit signal Segmentation fault
[Sun Mar 15 10:09:13.550 2026] [proxy_fcgi:error] [pid 2231] AH01071: Got error 'Primary script unknown'
  stack frame #0 mod_proxy_fcgi.c:1056 dispatch()
  stack frame #1 mod_proxy_fcgi.c:1209 proxy_fcgi_handler()
  stack frame #2 mod_proxy.c:1288 proxy_handler()
  stack frame #3 config.c:439 ap_run_handler()
"""

_RUBY = """I, [2026-04-02T08:00:01.114 #812]  INFO -- : Started import of 412 orders
E, [2026-04-02T08:00:03.902 #812] ERROR -- : Net::ReadTimeout with #<TCPSocket:(closed)>
/usr/lib/ruby/3.3.0/net/protocol.rb:229:in `rbuf_fill'
/usr/lib/ruby/3.3.0/net/protocol.rb:199:in `readuntil'
/app/lib/importer/client.rb:41:in `fetch_page'
/app/lib/importer/run.rb:17:in `call'
I, [2026-04-02T08:05:01.007 #813]  INFO -- : Started import of 412 orders
E, [2026-04-02T08:05:04.318 #813] ERROR -- : Net::ReadTimeout with #<TCPSocket:(closed)>
/usr/lib/ruby/3.3.0/net/protocol.rb:229:in `rbuf_fill'
/usr/lib/ruby/3.3.0/net/protocol.rb:199:in `readuntil'
/app/lib/importer/client.rb:41:in `fetch_page'
/app/lib/importer/run.rb:17:in `call'
"""

_SHELL = """ana@build:~/site$ npm run deploy -- --env staging
Error: Cannot find module '/home/ana/site/dist/server.js'
    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)
    at Module._load (node:internal/modules/cjs/loader:986:27)
    at Function.executeUserEntryPoint (node:internal/modules/run_main:142:12)
ana@build:~/site$ npm run build
built in 14.2s
ana@build:~/site$ npm run deploy -- --env production
Error: Cannot find module '/home/ana/site/dist/server.js'
    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)
    at Module._load (node:internal/modules/cjs/loader:986:27)
    at Function.executeUserEntryPoint (node:internal/modules/run_main:142:12)
"""

_COMPOSE = """worker_1  | Connecting to the queue at rabbitmq:5672 failed: connection refused. Trying again in 10 seconds.
worker_1  | Connecting to the queue at rabbitmq:5672 failed: connection refused. Trying again in 10 seconds.
worker_1  | Connecting to the queue at rabbitmq:5672 failed: connection refused. Trying again in 10 seconds.
worker_1  | Connected to the queue after 4 attempts.
"""


@pytest.mark.parametrize(
    "text", [_APACHE, _RUBY, _SHELL, _COMPOSE], ids=["apache", "ruby", "shell", "compose"]
)
@pytest.mark.parametrize("blocks", ["auto", "line"])
def test_each_event_keeps_its_own_trace(text: str, blocks: str) -> None:
    result = clean(text, config=CleanConfig(blocks=blocks))  # type: ignore[arg-type]
    assert result.text == text
    assert result.removals == ()
    assert result.isolated


def test_a_stretch_of_log_pasted_again_still_goes() -> None:
    result = clean(_RUBY + _RUBY)
    assert result.text == _RUBY
    assert len(result.removals) == 1
