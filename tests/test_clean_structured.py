"""Records, config sections and log events are structure, kept (issue 10, kind 1; try7 A1-A3).

Each input below lost unique text before (a JSON order lost a line item, an Ansible play
its ``tasks:``, a second exception its stack trace); right is the input unchanged, with
the repeat listed as isolated. The suites' inputs are the new user's (try7), the
others our own, of other formats. The pastes of the same formats still go.
"""

from __future__ import annotations

import pytest

from textdedup import CleanConfig
from textdedup.clean import clean
from textdedup.outline import one_record, other_sections

# The try's inputs (/work/try7/inputs, T10e): a repeat that is a record or a section's own.
TRY7 = {
    "json_order_two_identical_items": (
        "{\n"
        '  "order_id": "SO-2026-004417",\n'
        '  "customer": "Kowalczyk, Agnieszka",\n'
        '  "items": [\n'
        "    {\n"
        '      "sku": "MUG-STONE-350",\n'
        '      "name": "Stoneware mug, 350 ml, speckled grey",\n'
        '      "qty": 1,\n'
        '      "unit_price": 14.5\n'
        "    },\n"
        "    {\n"
        '      "sku": "MUG-STONE-350",\n'
        '      "name": "Stoneware mug, 350 ml, speckled grey",\n'
        '      "qty": 1,\n'
        '      "unit_price": 14.5\n'
        "    },\n"
        "    {\n"
        '      "sku": "TEAPOT-1L",\n'
        '      "name": "Stoneware teapot, 1 l",\n'
        '      "qty": 1,\n'
        '      "unit_price": 39.0\n'
        "    }\n"
        "  ],\n"
        '  "total": 68.0\n'
        "}\n"
    ),
    "xml_two_identical_line_items": (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Invoice number="INV-2026-0391">\n'
        "  <Line>\n"
        "    <Item>Replacement filter cartridge, activated carbon, 10 inch</Item>\n"
        "    <Quantity>1</Quantity>\n"
        '    <UnitPrice currency="EUR">24.90</UnitPrice>\n'
        "  </Line>\n"
        "  <Line>\n"
        "    <Item>Replacement filter cartridge, activated carbon, 10 inch</Item>\n"
        "    <Quantity>1</Quantity>\n"
        '    <UnitPrice currency="EUR">24.90</UnitPrice>\n'
        "  </Line>\n"
        '  <Total currency="EUR">49.80</Total>\n'
        "</Invoice>\n"
    ),
    "yaml_list_two_identical_entries": (
        "shipment: SH-88120\n"
        "parcels:\n"
        "  - weight_kg: 12.5\n"
        "    dimensions_cm: [60, 40, 40]\n"
        "    contents: Ceramic tiles, glazed, 20 x 20 cm, boxed\n"
        "  - weight_kg: 12.5\n"
        "    dimensions_cm: [60, 40, 40]\n"
        "    contents: Ceramic tiles, glazed, 20 x 20 cm, boxed\n"
        "  - weight_kg: 3.0\n"
        "    dimensions_cm: [30, 20, 10]\n"
        "    contents: Tile adhesive\n"
        "total_weight_kg: 28.0\n"
    ),
    "csv_multiline_field_identical_rows": (
        "order_id,customer,delivery_address,item,qty\n"
        'A-1001,Kasia Nowak,"ul. Długa 14/3\n'
        "80-827 Gdańsk\n"
        'Poland",Linen tea towel,1\n'
        'A-1001,Kasia Nowak,"ul. Długa 14/3\n'
        "80-827 Gdańsk\n"
        'Poland",Linen tea towel,1\n'
        'A-1002,Jan Kowalski,"ul. Floriańska 2\n'
        "31-019 Kraków\n"
        'Poland",Ceramic bowl,2\n'
    ),
    "cards_same_text_other_data_sku": (
        '<div class="product-card" data-sku="LMP-4410-BRS" data-price="89.00">\n'
        "  <h3>Arc floor lamp</h3>\n"
        "  <p>Adjustable arc floor lamp with a marble base, a linen shade and a dimmer switch on the cable.</p>\n"
        "</div>\n"
        '<div class="product-card" data-sku="LMP-4410-BLK" data-price="89.00">\n'
        "  <h3>Arc floor lamp</h3>\n"
        "  <p>Adjustable arc floor lamp with a marble base, a linen shade and a dimmer switch on the cable.</p>\n"
        "</div>\n"
    ),
    "ansible_two_plays_same_tasks": (
        "---\n"
        "- name: Configure web servers\n"
        "  hosts: web\n"
        "  become: true\n"
        "\n"
        "  tasks:\n"
        "    - name: Install chrony so the clocks of every node stay in sync with the pool servers\n"
        "      ansible.builtin.apt:\n"
        "        name: chrony\n"
        "        state: present\n"
        "        update_cache: true\n"
        "\n"
        "    - name: Copy the chrony configuration that points every node at the internal time servers\n"
        "      ansible.builtin.template:\n"
        "        src: templates/chrony.conf.j2\n"
        "        dest: /etc/chrony/chrony.conf\n"
        '        mode: "0644"\n'
        "\n"
        "    - name: Install nginx\n"
        "      ansible.builtin.apt:\n"
        "        name: nginx\n"
        "        state: present\n"
        "\n"
        "- name: Configure database servers\n"
        "  hosts: db\n"
        "  become: true\n"
        "\n"
        "  tasks:\n"
        "    - name: Install chrony so the clocks of every node stay in sync with the pool servers\n"
        "      ansible.builtin.apt:\n"
        "        name: chrony\n"
        "        state: present\n"
        "        update_cache: true\n"
        "\n"
        "    - name: Copy the chrony configuration that points every node at the internal time servers\n"
        "      ansible.builtin.template:\n"
        "        src: templates/chrony.conf.j2\n"
        "        dest: /etc/chrony/chrony.conf\n"
        '        mode: "0644"\n'
        "\n"
        "    - name: Install PostgreSQL 16\n"
        "      ansible.builtin.apt:\n"
        "        name: postgresql-16\n"
        "        state: present\n"
    ),
    "helm_values_envs_commented": (
        "staging:\n"
        "  replicaCount: 2\n"
        "\n"
        "  # Keep at least two replicas so that a node drain never takes the whole service down at once.\n"
        "  # The budget below lets Kubernetes evict one pod at a time during upgrades and node maintenance.\n"
        "  podDisruptionBudget:\n"
        "    enabled: true\n"
        "    minAvailable: 1\n"
        "\n"
        "  # Requests are what the scheduler reserves; limits are where the container gets throttled or killed.\n"
        "  resources:\n"
        "    requests: {cpu: 250m, memory: 512Mi}\n"
        '    limits: {cpu: "1", memory: 1Gi}\n'
        "\n"
        "production:\n"
        "  replicaCount: 6\n"
        "\n"
        "  # Keep at least two replicas so that a node drain never takes the whole service down at once.\n"
        "  # The budget below lets Kubernetes evict one pod at a time during upgrades and node maintenance.\n"
        "  podDisruptionBudget:\n"
        "    enabled: true\n"
        "    minAvailable: 1\n"
        "\n"
        "  # Requests are what the scheduler reserves; limits are where the container gets throttled or killed.\n"
        "  resources:\n"
        "    requests: {cpu: 250m, memory: 512Mi}\n"
        '    limits: {cpu: "1", memory: 1Gi}\n'
    ),
    "nginx_two_servers_commented_ssl": (
        "server {\n"
        "    listen 443 ssl;\n"
        "    server_name shop.example.com;\n"
        "\n"
        "    # Modern TLS only: TLS 1.2 is kept for older Android devices that still make up a few per cent of our traffic.\n"
        "    # Review this list every year against the Mozilla server-side TLS recommendations and remove weak ciphers.\n"
        "    ssl_protocols TLSv1.2 TLSv1.3;\n"
        "    ssl_prefer_server_ciphers off;\n"
        "\n"
        "    # Let browsers remember for a year that this host is HTTPS only, including every subdomain we serve.\n"
        '    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;\n'
        "\n"
        "    root /srv/shop;\n"
        "}\n"
        "\n"
        "server {\n"
        "    listen 443 ssl;\n"
        "    server_name admin.example.com;\n"
        "\n"
        "    # Modern TLS only: TLS 1.2 is kept for older Android devices that still make up a few per cent of our traffic.\n"
        "    # Review this list every year against the Mozilla server-side TLS recommendations and remove weak ciphers.\n"
        "    ssl_protocols TLSv1.2 TLSv1.3;\n"
        "    ssl_prefer_server_ciphers off;\n"
        "\n"
        "    # Let browsers remember for a year that this host is HTTPS only, including every subdomain we serve.\n"
        '    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;\n'
        "\n"
        "    root /srv/admin;\n"
        "}\n"
    ),
    "java_stacktrace_twice": (
        "2026-03-11 10:42:17,381 ERROR [http-nio-8080-exec-4] c.e.shop.OrderController - order failed\n"
        "java.lang.IllegalStateException: payment provider timeout\n"
        "\tat com.example.shop.payment.StripeGateway.charge(StripeGateway.java:118)\n"
        "\tat com.example.shop.payment.PaymentService.pay(PaymentService.java:64)\n"
        "\tat com.example.shop.order.OrderService.checkout(OrderService.java:201)\n"
        "\tat com.example.shop.OrderController.checkout(OrderController.java:87)\n"
        "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)\n"
        "2026-03-11 10:42:19,002 INFO  [http-nio-8080-exec-4] c.e.shop.OrderController - retrying order 88213\n"
        "2026-03-11 10:42:49,117 ERROR [http-nio-8080-exec-4] c.e.shop.OrderController - order failed\n"
        "java.lang.IllegalStateException: payment provider timeout\n"
        "\tat com.example.shop.payment.StripeGateway.charge(StripeGateway.java:118)\n"
        "\tat com.example.shop.payment.PaymentService.pay(PaymentService.java:64)\n"
        "\tat com.example.shop.order.OrderService.checkout(OrderService.java:201)\n"
        "\tat com.example.shop.OrderController.checkout(OrderController.java:87)\n"
        "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)\n"
        "2026-03-11 10:42:49,120 WARN  [http-nio-8080-exec-4] c.e.shop.OrderController - giving up on order 88213\n"
    ),
    "logcat_fatal_twice": (
        "03-14 10:22:31.118  4410  4410 E AndroidRuntime: FATAL EXCEPTION: main\n"
        "Process: com.example.tickets, PID: 4410\n"
        "java.lang.NullPointerException: Attempt to invoke virtual method 'java.lang.String com.example.tickets.model.Seat.getRow()' on a null object reference\n"
        "\tat com.example.tickets.ui.SeatAdapter.onBindViewHolder(SeatAdapter.kt:57)\n"
        "\tat androidx.recyclerview.widget.RecyclerView$Adapter.bindViewHolder(RecyclerView.java:7254)\n"
        "03-14 10:22:31.240  1201  1377 I ActivityManager: Process com.example.tickets (pid 4410) has died\n"
        "03-14 10:23:02.905  4512  4512 E AndroidRuntime: FATAL EXCEPTION: main\n"
        "Process: com.example.tickets, PID: 4512\n"
        "java.lang.NullPointerException: Attempt to invoke virtual method 'java.lang.String com.example.tickets.model.Seat.getRow()' on a null object reference\n"
        "\tat com.example.tickets.ui.SeatAdapter.onBindViewHolder(SeatAdapter.kt:57)\n"
        "\tat androidx.recyclerview.widget.RecyclerView$Adapter.bindViewHolder(RecyclerView.java:7254)\n"
    ),
    "python_logging_dotted_logger_twice": (
        "2026-04-02 03:00:01,112 ERROR etl.jobs.ImportOrders: nightly import failed, will retry in 5 minutes\n"
        "Traceback (most recent call last):\n"
        '  File "/srv/etl/jobs/import_orders.py", line 88, in run\n'
        "    rows = self.source.fetch(since=self.last_run)\n"
        '  File "/srv/etl/sources/postgres.py", line 41, in fetch\n'
        '    cur.execute(self.query, {"since": since})\n'
        "psycopg.errors.QueryCanceled: canceling statement due to statement timeout\n"
        "2026-04-02 03:05:01,087 ERROR etl.jobs.ImportOrders: nightly import failed, will retry in 5 minutes\n"
        "Traceback (most recent call last):\n"
        '  File "/srv/etl/jobs/import_orders.py", line 88, in run\n'
        "    rows = self.source.fetch(since=self.last_run)\n"
        '  File "/srv/etl/sources/postgres.py", line 41, in fetch\n'
        '    cur.execute(self.query, {"since": since})\n'
        "psycopg.errors.QueryCanceled: canceling statement due to statement timeout\n"
        "2026-04-02 03:10:02,540 INFO etl.jobs.ImportOrders: import finished, 18204 rows\n"
    ),
}

# Our own, of the same kinds in other formats.
OWN = {
    "gha_jobs": (
        "name: ci\n"
        "on: [push]\n"
        "jobs:\n"
        "  test-linux:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - name: Set up the Python interpreter with the dependency cache for the project's lock file\n"
        "        uses: actions/setup-python@v5\n"
        "        with:\n"
        '          python-version: "3.12"\n'
        "          cache: pip\n"
        "      - name: Install the project with its test extras and run the whole test suite with coverage\n"
        "        run: |\n"
        "          pip install -e .[test]\n"
        "          pytest -q --cov\n"
        "  test-macos:\n"
        "    runs-on: macos-14\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - name: Set up the Python interpreter with the dependency cache for the project's lock file\n"
        "        uses: actions/setup-python@v5\n"
        "        with:\n"
        '          python-version: "3.12"\n'
        "          cache: pip\n"
        "      - name: Install the project with its test extras and run the whole test suite with coverage\n"
        "        run: |\n"
        "          pip install -e .[test]\n"
        "          pytest -q --cov\n"
    ),
    "terraform_buckets": (
        'resource "aws_s3_bucket" "logs" {\n'
        '  bucket = "acme-prod-logs"\n'
        "\n"
        "  # Keep every object version so that a deleted or overwritten log file can be restored later on.\n"
        "  # Old versions move to cheaper storage after thirty days and expire after one full year.\n"
        "  versioning {\n"
        "    enabled = true\n"
        "  }\n"
        "\n"
        "  server_side_encryption_configuration {\n"
        "    rule {\n"
        "      apply_server_side_encryption_by_default {\n"
        '        sse_algorithm = "aws:kms"\n'
        "      }\n"
        "    }\n"
        "  }\n"
        "}\n"
        "\n"
        'resource "aws_s3_bucket" "backups" {\n'
        '  bucket = "acme-prod-backups"\n'
        "\n"
        "  # Keep every object version so that a deleted or overwritten log file can be restored later on.\n"
        "  # Old versions move to cheaper storage after thirty days and expire after one full year.\n"
        "  versioning {\n"
        "    enabled = true\n"
        "  }\n"
        "\n"
        "  server_side_encryption_configuration {\n"
        "    rule {\n"
        "      apply_server_side_encryption_by_default {\n"
        '        sse_algorithm = "aws:kms"\n'
        "      }\n"
        "    }\n"
        "  }\n"
        "}\n"
    ),
    "dotnet_log": (
        "[2026-05-04 09:12:40.113 +02:00 ERR] Payment capture failed for order 55120\n"
        "System.TimeoutException: The operation has timed out while waiting for the payment gateway to answer.\n"
        "   at Shop.Payments.GatewayClient.CaptureAsync(Guid orderId) in /src/Shop/Payments/GatewayClient.cs:line 88\n"
        "   at Shop.Orders.CheckoutService.CompleteAsync(Guid orderId) in /src/Shop/Orders/CheckoutService.cs:line 141\n"
        "   at Shop.Api.Controllers.CheckoutController.Post(CheckoutRequest request) in /src/Shop/Api/Controllers/CheckoutController.cs:line 37\n"
        "[2026-05-04 09:12:41.002 +02:00 INF] Retrying payment capture for order 55120\n"
        "[2026-05-04 09:13:11.540 +02:00 ERR] Payment capture failed for order 55120\n"
        "System.TimeoutException: The operation has timed out while waiting for the payment gateway to answer.\n"
        "   at Shop.Payments.GatewayClient.CaptureAsync(Guid orderId) in /src/Shop/Payments/GatewayClient.cs:line 88\n"
        "   at Shop.Orders.CheckoutService.CompleteAsync(Guid orderId) in /src/Shop/Orders/CheckoutService.cs:line 141\n"
        "   at Shop.Api.Controllers.CheckoutController.Post(CheckoutRequest request) in /src/Shop/Api/Controllers/CheckoutController.cs:line 37\n"
        "[2026-05-04 09:13:12.001 +02:00 WRN] Giving up on order 55120 after 2 attempts\n"
    ),
    "go_panic_log": (
        "2026/05/04 09:12:40 http: panic serving 10.0.4.17:51234: runtime error: invalid memory address or nil pointer dereference\n"
        "goroutine 1187 [running]:\n"
        "net/http.(*conn).serve.func1()\n"
        "\t/usr/local/go/src/net/http/server.go:1898 +0xbe\n"
        "panic({0x9a1c40?, 0xe5f1a0?})\n"
        "\t/usr/local/go/src/runtime/panic.go:770 +0x132\n"
        "main.(*orderHandler).ServeHTTP(0xc0001a2000, {0xa9e2b8, 0xc0002c8000}, 0xc0002b6000)\n"
        "\t/srv/shop/handlers.go:57 +0x1f4\n"
        "2026/05/04 09:12:55 http: panic serving 10.0.4.23:40122: runtime error: invalid memory address or nil pointer dereference\n"
        "goroutine 1187 [running]:\n"
        "net/http.(*conn).serve.func1()\n"
        "\t/usr/local/go/src/net/http/server.go:1898 +0xbe\n"
        "panic({0x9a1c40?, 0xe5f1a0?})\n"
        "\t/usr/local/go/src/runtime/panic.go:770 +0x132\n"
        "main.(*orderHandler).ServeHTTP(0xc0001a2000, {0xa9e2b8, 0xc0002c8000}, 0xc0002b6000)\n"
        "\t/srv/shop/handlers.go:57 +0x1f4\n"
    ),
    "toml_array_of_tables": (
        'order = "SO-2026-7781"\n'
        "\n"
        "[[items]]\n"
        'sku = "CANDLE-SOY-200"\n'
        'name = "Soy candle, 200 g, cedar and smoke"\n'
        "qty = 1\n"
        "unit_price = 12.5\n"
        "\n"
        "[[items]]\n"
        'sku = "CANDLE-SOY-200"\n'
        'name = "Soy candle, 200 g, cedar and smoke"\n'
        "qty = 1\n"
        "unit_price = 12.5\n"
        "\n"
        "[[items]]\n"
        'sku = "MATCHES-LONG"\n'
        'name = "Long matches, box of 40"\n'
        "qty = 1\n"
        "unit_price = 3.0\n"
    ),
    "compose_services": (
        "services:\n"
        "  api:\n"
        "    image: registry.example.com/shop/api:2.4.1\n"
        "    # Restart the container after a crash, but give up when it keeps failing so an alert fires instead.\n"
        "    # The health check below marks it unhealthy after three failed probes in a row, thirty seconds apart.\n"
        "    restart: on-failure:5\n"
        "    healthcheck:\n"
        '      test: ["CMD", "curl", "-fsS", "http://localhost:8080/health"]\n'
        "      interval: 30s\n"
        "      retries: 3\n"
        "  worker:\n"
        "    image: registry.example.com/shop/worker:2.4.1\n"
        "    # Restart the container after a crash, but give up when it keeps failing so an alert fires instead.\n"
        "    # The health check below marks it unhealthy after three failed probes in a row, thirty seconds apart.\n"
        "    restart: on-failure:5\n"
        "    healthcheck:\n"
        '      test: ["CMD", "curl", "-fsS", "http://localhost:8080/health"]\n'
        "      interval: 30s\n"
        "      retries: 3\n"
    ),
}


@pytest.mark.parametrize("name", sorted(TRY7))
def test_a_record_or_a_sections_body_repeated_is_kept(name: str) -> None:
    text = TRY7[name]
    result = clean(text)
    assert result.text == text
    assert result.removals == ()
    assert result.isolated  # found, and reported as kept


@pytest.mark.parametrize("name", sorted(OWN))
def test_own_records_sections_and_events_are_kept(name: str) -> None:
    text = OWN[name]
    result = clean(text)
    assert result.text == text
    assert result.removals == ()
    assert result.isolated


def test_a_python_traceback_under_another_log_line_stays_kept() -> None:
    # The shape the try found right (k1_python_traceback_twice): now by its event head.
    tb = (
        "Traceback (most recent call last):\n"
        '  File "/srv/etl/import_orders.py", line 88, in main\n'
        "    rows = fetch_rows(conn, since=last_run)\n"
        '  File "/srv/etl/import_orders.py", line 41, in fetch_rows\n'
        '    cur.execute(QUERY, {"since": since})\n'
        "psycopg.errors.QueryCanceled: canceling statement due to statement timeout\n"
    )
    text = (
        "[2026-04-02 03:00:01] starting nightly import\n"
        + tb
        + "[2026-04-02 03:05:01] retry 1 of 3\n"
        + tb
        + "[2026-04-02 03:12:44] import finished: 18204 rows\n"
    )
    result = clean(text)
    assert result.text == text
    [kept] = result.isolated
    assert kept.reason.startswith("lines 9-14: run of 6 blocks repeating lines 2-7")


def test_a_whole_server_block_pasted_again_still_goes() -> None:
    conf = TRY7["nginx_two_servers_commented_ssl"]
    first = conf.split("\n\nserver {")[0] + "\n"
    result = clean(conf + "\n" + first)
    # The pasted block goes; the admin host keeps its TLS and HSTS lines.
    assert result.text == conf
    [removal] = result.removals
    assert removal.reason == "lines 31-44: run of 4 blocks repeating lines 1-14 (score 1.000)"


def test_a_stretch_of_a_log_pasted_again_still_goes() -> None:
    log = TRY7["java_stacktrace_twice"]
    lines = log.splitlines(keepends=True)
    result = clean(log + "".join(lines[8:16]))
    # The stretch (an event with its trace, and the next event) pasted at the end goes;
    # the second failure keeps its trace.
    assert result.text == log
    [removal] = result.removals
    assert removal.reason == "lines 17-24: run of 8 blocks repeating lines 9-16 (score 1.000)"


def test_two_records_repeated_in_order_are_no_record() -> None:
    # One record repeated is a count; the same two records again right after them are a
    # stretch pasted again (as two CSV rows are).
    item = '  - sku: "{sku}"\n    name: {name}\n    qty: 1\n'
    a = item.format(sku="MUG-350", name="Stoneware mug, 350 ml, speckled grey")
    b = item.format(sku="TEAPOT-1L", name="Stoneware teapot with a bamboo handle, 1 l")
    text = "order: SO-7\nitems:\n" + a + b
    assert one_record(
        text + a,
        (len(text), len(text + a)),
        (len("order: SO-7\nitems:\n"), len("order: SO-7\nitems:\n" + a)),
    )
    assert not one_record(
        text + a + b, (len(text), len(text + a + b)), (len("order: SO-7\nitems:\n"), len(text))
    )


def test_the_body_of_one_section_pasted_inside_it_is_no_other_section() -> None:
    text = "web:\n  a: 1\n  b: 2\ndb:\n  a: 1\n  b: 2\n"
    assert other_sections(text, (text.index("a", 20), len(text)), (5, 19))
    same = "web:\n  a: 1\n  b: 2\n  a: 1\n  b: 2\n"
    assert not other_sections(same, (19, len(same)), (5, 19))
    # Prose has no outline: a paragraph repeated is no section's own.
    prose = "The council met.\nIt voted.\nThe council met.\nIt voted.\n"
    assert not other_sections(prose, (28, len(prose)), (0, 27))
    assert not one_record(prose, (28, len(prose)), (0, 27))


def test_isolated_remove_still_removes_them() -> None:
    text = TRY7["ansible_two_plays_same_tasks"]
    result = clean(text, config=CleanConfig(isolated="remove"))
    assert result.removals


_TAIL = (
    "Viewing is by appointment only through the Kestrel Lettings office on Mill Lane. "
    "A holding deposit of one week's rent secures the flat while references are checked."
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # the try's (try8 t1_lettings_tail_uneven_own)
        (
            "Flat 2, 14 Albion Street. A one-bedroom flat on the second floor.",
            "Flat 5, 9 Quarry Road. A two-bedroom flat with its own garden. The kitchen"
            " was refitted last spring.",
        ),
        # our own: plots of an allotment site, one with a sentence more
        (
            "Plot 17: 250 square metres near the gate.",
            "Plot 23: 300 square metres on the south slope. It has a shed and a water butt."
            " The fruit cage stays with the plot.",
        ),
    ],
)
def test_template_records_keep_their_shared_tail_whatever_their_own_length(
    first: str, second: str
) -> None:
    text = f"{first} {_TAIL}\n\n{second} {_TAIL}\n"
    result = clean(text)
    assert result.text == text
    assert result.removals == ()
    [kept] = result.isolated
    assert kept.reason == "lines 3: repeated span of lines 1 (score 1.000)"


def test_a_tail_pasted_onto_prose_of_other_length_still_goes() -> None:
    # No record label opening both paragraphs ("In 2024" opens prose): a paste.
    one = "In 2024 the library opened on Sundays. Visits rose by a fifth. " + _TAIL
    two = "In 2025 the council cut its budget. " + _TAIL
    result = clean(f"{one}\n\n{two}\n")
    assert result.text == f"{one}\n\nIn 2025 the council cut its budget.\n"
    [removal] = result.removals
    assert removal.kind == "span"


@pytest.mark.parametrize("blocks", ["line", "sentence"])
def test_a_trace_under_another_event_is_kept_in_every_block_mode(blocks: str) -> None:
    # With sentence blocks the repeat is found from inside a line ("System." ends no
    # sentence of the trace): judged by the lines that hold it, the same at both places.
    text = OWN["dotnet_log"]
    result = clean(text, config=CleanConfig(blocks=blocks))  # type: ignore[arg-type]
    assert result.text == text
    assert result.removals == ()


@pytest.mark.parametrize("blank", ["", "\n"])
def test_a_config_section_pasted_again_under_its_own_name_goes(blank: str) -> None:
    # '[branch "main"]' twice names one section twice: a paste, not two records
    # (try8 t2_gitconfig_branch_pasted_end_noblank; a TOML [[array]] entry is a record).
    section = '[branch "main"]\n\tremote = origin\n\tmerge = refs/heads/main\n'
    head = '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@code.example:maps/tiles.git\n'
    text = head + section + blank + section
    result = clean(text, config=CleanConfig(blocks="line"))
    assert result.text == head + section
    assert len(result.removals) == 1
