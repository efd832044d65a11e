# ruff: noqa: RUF001
"""Block-level quality of ``textdedup.clean``: what it removes, on labelled documents.

Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/clean_quality.py            # 560 documents
    PYTHONPATH=src .venv/bin/python benchmarks/clean_quality.py --docs 1000 --seed 7

A seeded generator writes documents of many genres, each built from sentence templates
and word lists in this file (no network, no data files): news articles (English,
Chinese, Russian), songs (stanzas between blank lines) and poems (no blank lines) with
refrains, FAQs whose answers repeat under different questions, Python code with repeated
statements and lines that differ only in punctuation, CSV files and Markdown tables with
repeated cells and rows that differ in a number, SRT subtitles with repeated dialogue,
contracts that repeat a clause, forum threads with quotations, lists of records that
differ in numbers and names, and the real doubled article of ``/work/shared/fixtures``
with variants of it. That repetition is structure and must survive.

Some documents carry one planted copy-paste artifact (the ``artifact`` of a document):

* ``doubled``: the whole body pasted again (a title line stays single);
* ``run``: two or more consecutive blocks (rows, cues, stanzas, lines) pasted again,
  right after the original or at the end;
* ``edited``: two or more paragraphs pasted again with small edits (quote style, a
  doubled space, a case change, a swapped letter, a comma added or changed), or one
  paragraph right after itself;
* ``rewrapped``: paragraphs or 2-3 sentences of hard-wrapped text pasted again,
  wrapped at another width;
* ``midline``: a paragraph or 2-3 sentences pasted at the end of a later line, so the
  copy starts mid-line;
* ``short``: 2-3 consecutive sentences (more when those are under 25 words; always a
  strict part of their paragraph) pasted again as a paragraph of their own;
* ``markup``: two or more paragraphs pasted again as ``<p>...</p>`` lines;
* ``cjk`` / ``cyrillic``: a Chinese or Russian body doubled, a paragraph pasted twice on
  one line, or 2-3 sentences pasted at the end of a later paragraph.

Labels: the character ranges of the planted copies (the later copy: ``clean`` keeps
the first by default). Every other character is unique or legitimate and must survive.
The documents are generated already normalized (LF line endings, no trailing spaces,
no invisible characters, NFC), so ``CleanResult.source`` equals the document and the
removal offsets (``Removal.removed.start/.end``, offsets into ``source``) apply to the
labels directly; the script checks that equality for every document.

Scores, over non-whitespace characters only (a kept blank line is no loss):

* precision and recall of removed characters against the planted ones;
* ``lost``: documents where a character outside every planted range was removed, and
  ``clean lost`` the same among documents with no artifact (the target is 0);
* ``mid-sentence``: removals that start or end inside a sentence that goes on in the
  same line (the neighbouring text on the line is not after or before a sentence end);
* ``markup``: empty markup left in the output that the input did not have (``<p></p>``,
  a line holding only ``>``, a bullet or ``#``, ``""``);
* ``report``: documents whose output is not the source minus the reported removals
  (non-whitespace characters compared): a removal the report does not describe.

Targets (issue 10): no unique text lost in a document without an artifact, recall of
planted copies >= 0.98, the fixture and its variants right. Results go to
``benchmarks/results/clean_quality.json``; nothing runs at import.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import platform
import random
import re
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIXTURE = Path("/work/shared/fixtures/doubled_article.txt")
SEED = 1
DOCS = 560
ARTIFACT_SHARE = 0.6  # documents that carry a planted copy

# -- word lists -------------------------------------------------------------------------------


def _w(words: str) -> list[str]:
    """A word list written as one string."""
    return words.split()


FIRST = _w("Anna Ben Carla David Elena Farid Grace Hugo Irene Jonas Kemal Laura Marta Nikos Olga")
FIRST += _w("Pedro Rosa Samir Tomas Ursula Vera Walter Yusuf Zoe Amara Bruno Chloe Dmitri")
LAST = _w("Adams Baker Costa Dalton Evans Fischer Garcia Hughes Ivanova Jensen Kowalski Lopez")
LAST += _w("Moreau Novak Okafor Patel Quinn Rossi Schmidt Tanaka Urban Varga Weber Young")
TOWNS = _w("Oakfield Elmwood Pinehill Marlow Ashby Redbridge Stonemoor Westhaven Brookdale")
TOWNS += _w("Fairport Northam Kingsley Dunmore Harwick Lyndon Millbrook Greystone Eastwick")
ORGS = [
    "the town council",
    "the regional water board",
    "the national rail operator",
    "the hospital trust",
    "the university",
    "the ministry of transport",
    "the port authority",
    "the energy regulator",
    "the county school board",
    "the farmers' union",
    "the local chamber of commerce",
    "the environment agency",
]
THINGS = [
    "bridge",
    "library",
    "bus depot",
    "flood barrier",
    "primary school",
    "swimming pool",
    "wind farm",
    "cycle path",
    "market hall",
    "health centre",
    "ferry terminal",
    "sports ground",
    "housing estate",
    "recycling plant",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = _w("January February March April May June July August September October November")
ROLES = ["spokeswoman", "spokesman", "director", "chair", "treasurer", "engineer", "resident"]

NEWS = [
    "{Org} voted on {day} to build a new {thing} in {town}, ending a debate "
    "that had lasted {n} years.",
    "The {thing} will cost about {m} million and is due to open in {month} {year}.",
    "Work on the {thing} is expected to begin next spring, once the site has been "
    "surveyed and the contracts signed.",
    '"We have waited a long time for this," said {name}, a {role} at {org}.',
    "Residents of {town} collected more than {k} signatures in support of the plan.",
    "Critics say the money would be better spent on repairing the roads around {town}.",
    "A similar project in {town2} ran {n} months late and went {p} percent over budget.",
    "{Org} said the scheme would be paid for by a regional grant and by the sale of land "
    "near the old {thing2}.",
    "About {k} people live within a mile of the site, according to the latest census.",
    "{name} told reporters on {day} that the final design would be published in {month}.",
    "Traffic on the main road through {town} is expected to be diverted for {n} weeks.",
    "The plan was first proposed in {year2}, but it was shelved after the elections.",
    "Shops near the site will stay open throughout the work, {org} said.",
    "The {thing2} in {town2} was closed last year after inspectors found cracks in its walls.",
    "Officials estimate that the {thing} will serve some {k} people a day once it is finished.",
    "Opposition councillors asked for an independent review of the costs before {month}.",
    "{name}, who has lived in {town} for {n} years, said the area had been neglected for too long.",
    "The contract was awarded to a firm from {town2} after a tender that drew {n} bids.",
    "A public meeting about the plans will be held at the {thing2} on {day} evening.",
    "Environmental groups want a survey of the river banks before any trees are cut down.",
    "The last time {org} built anything on this scale was in {year2}.",
    "Local bus services will be rerouted while the work goes on, with details due in {month}.",
    "According to {name}, the project could create up to {k} jobs in the region.",
    "Under the plan, {p} percent of the new {thing} will be reserved for local groups.",
    "The cost of materials has risen by {p} percent since the first estimate was made.",
    "Parents in {town} have asked for a safe crossing outside the {thing2}.",
    "The decision still needs the approval of the regional government, expected in {month}.",
    "Some residents fear the new {thing} will bring more noise and heavy traffic at night.",
    "In a statement, {org} promised regular updates on its website and in the local paper.",
    "{name} said the first phase alone would take about {n} months to complete.",
]
LEGAL_CLAUSES = [
    "The Supplier shall deliver the Goods to the Premises on the dates set out in Schedule {n}.",
    "Each Party shall keep the terms of this Agreement confidential and shall not disclose "
    "them to any third party without the prior written consent of the other Party.",
    "The Customer shall pay each invoice within {n} days of the date of the invoice.",
    "Interest on late payments shall accrue at {p} percent per year above the base rate.",
    "The Supplier warrants that the Services will be performed with reasonable skill and "
    "care and in accordance with good industry practice.",
    "Either Party may terminate this Agreement by giving not less than {n} months' written "
    "notice to the other Party.",
    "Any notice under this Agreement shall be in writing and delivered by hand or sent by "
    "recorded post to the address of the receiving Party.",
    "The Supplier shall maintain insurance cover of not less than {m} million for any one "
    "claim during the term of this Agreement.",
    "Nothing in this Agreement shall limit the liability of either Party for death or "
    "personal injury caused by its negligence.",
    "The Customer shall provide the Supplier with access to the Premises during normal "
    "working hours.",
    "Title to the Goods shall pass to the Customer on payment in full of the price.",
    "Risk in the Goods shall pass to the Customer on completion of delivery.",
    "The Supplier shall not subcontract any of its obligations without the Customer's prior "
    "written consent.",
    "This Agreement shall be governed by the laws of {country}.",
    "The Parties shall attempt in good faith to resolve any dispute by negotiation within "
    "{n} days of a written request.",
    "The Supplier shall keep complete and accurate records of the Services for at least "
    "{n} years after the end of the term.",
    "Neither Party shall be liable for any delay caused by events beyond its reasonable "
    "control, including fire, flood and industrial action.",
    "The Customer may inspect the Goods within {n} working days of delivery and reject any "
    "that do not conform to the Specification.",
    "The total liability of the Supplier shall not exceed {p} percent of the fees paid in the "
    "preceding twelve months.",
    "The Supplier shall comply with all applicable laws, regulations and codes of practice.",
    "No variation of this Agreement shall be effective unless it is in writing and signed by "
    "both Parties.",
    "If any provision of this Agreement is found invalid, the other provisions shall remain "
    "in force.",
]
LEGAL_REPEATED = [
    "This clause shall survive the termination or expiry of this Agreement.",
    "Time shall be of the essence for the performance of this obligation.",
    "Nothing in this clause shall limit the rights of the Customer under clause {n}.",
    "The Supplier shall bear its own costs in complying with this clause.",
]
COUNTRIES = ["England and Wales", "Scotland", "Ireland", "the State of New York", "Ontario"]
SECTIONS = [
    "Definitions",
    "Supply of Goods",
    "Delivery",
    "Price and Payment",
    "Warranties",
    "Confidentiality",
    "Liability",
    "Insurance",
    "Termination",
    "Notices",
    "Disputes",
    "General",
]
FORUM = [
    "I keep mine in the garage on a wooden pallet, away from the boiler and out of direct "
    "sunlight.",
    "I rotate the stack every {n} months so the bottom one does not deform.",
    "Before storing them I wipe them down with warm water and let them dry for a day.",
    "My neighbour swears by covering them with an old blanket, but I have never tried it.",
    "The manual for my {model} says to check the pressure every {n} weeks in winter.",
    "I had the same problem last year and the dealer in {town} replaced the valve for free.",
    "It took me about {n} minutes with a torque wrench and a bit of patience.",
    "If the garage gets damp, a small dehumidifier makes a big difference.",
    "Has anyone tried the storage racks they sell at the hardware shop in {town}?",
    "I paid {m} for mine and it has held up well for {n} years now.",
    "The rubber on the older set started to crack after {n} winters, so I gave up on them.",
    "Keep them away from the freezer too, the motor gives off ozone.",
    "Mine are stacked on their sides because the racks take too much room.",
    "I would rather pay the garage {m} a season than lose my weekend doing it myself.",
    "Thanks, that is really useful, I will try it this weekend on the {model}.",
    "Out of interest, does anyone mark which wheel each tyre came from?",
    "I write the position on the sidewall with chalk, front left and so on.",
    "The shop told me the bags only matter if you store them near solvents.",
    "Last winter the temperature in my shed dropped to minus {n} and nothing happened.",
    "Good question, I have always hung mine on hooks on the wall.",
]
MODELS = ["Corolla", "Golf", "Focus", "Octavia", "Civic", "Clio", "Astra", "Yaris", "Passat"]
FAQ = [
    (
        "How do I reset my password?",
        "Open the login page and choose 'Forgot password'. "
        "We send a link to the address on your account; it is valid for {n} hours.",
    ),
    (
        "Can I change the email address on my account?",
        "Yes. Go to Settings, then Account, "
        "and enter the new address. We send a confirmation to both addresses.",
    ),
    (
        "How long does delivery take?",
        "Orders placed before {h}:00 on a working day leave our "
        "warehouse the same day and usually arrive within {n} working days.",
    ),
    (
        "Do you deliver abroad?",
        "We deliver to {k} countries. Shipping costs and times are "
        "shown at checkout once you enter the address.",
    ),
    (
        "How do I return an item?",
        "Log in, open the order and choose 'Return'. Print the "
        "label, pack the item in its original box and drop it at any post office.",
    ),
    (
        "When will I get my refund?",
        "Refunds are made to the original payment method within "
        "{n} days of the return reaching our warehouse.",
    ),
    (
        "Is my payment information safe?",
        "Card details are handled by our payment provider and never stored on our servers.",
    ),
    (
        "Can I cancel my order?",
        "You can cancel an order until it is packed. Open the order "
        "and choose 'Cancel'; if the button is missing, the order has already left.",
    ),
    (
        "Do you offer gift wrapping?",
        "Gift wrapping costs {m} per item and can be chosen for each item at checkout.",
    ),
    (
        "How do I contact support?",
        "Write to us through the contact form or call us on weekdays between {h}:00 and 17:00.",
    ),
    (
        "Why was my card declined?",
        "Check that the billing address matches the one your "
        "bank holds. If it still fails, your bank can tell you why.",
    ),
    (
        "Can I order by phone?",
        "Not at the moment. All orders are placed through the website or the app.",
    ),
]
FAQ_SHARED = [
    "Please contact our support team through the contact form; we answer every message "
    "within {n} working days.",
    "This depends on your country. The exact rules are shown at checkout once you enter "
    "your delivery address.",
    "Yes, see the section 'Your account' in the help centre, which explains each step with "
    "screenshots.",
]
FAQ_Q_EXTRA = [
    "What if my parcel is damaged?",
    "What if an item is missing from my order?",
    "Can I buy a gift card?",
    "Do you charge customs duties?",
    "Are prices shown with tax?",
    "Can I close my account?",
    "How do I unsubscribe from the newsletter?",
    "Can I pay by invoice?",
]
SONG_WORDS = {
    "noun": _w(
        "road river morning window harbour mountain city garden letter lantern station meadow "
        "winter candle shadow ocean"
    ),
    "adj": _w("empty silver quiet golden broken distant narrow endless faded gentle"),
    "verb": _w("walked waited wandered listened danced sang whispered ran dreamed travelled"),
    "time": [
        "before the sun came up",
        "when the night was long",
        "all the summer through",
        "until the lights went out",
        "in the falling rain",
        "when the river froze",
    ],
}
SONG_LINES = [
    "I {verb} along the {adj} {noun} {time},",
    "with nothing in my pockets but a {adj} {noun},",
    "the {noun} was {adj} and the {noun2} was cold,",
    "and every {noun} I passed had a story to be told.",
    "you {verb} beside me by the {adj} {noun},",
    "we {verb} together {time},",
    "the {noun} remembers what the {noun2} forgot,",
    "I kept a {adj} {noun} in a {adj2} {noun2},",
    "they {verb} through the {noun} {time},",
    "and {time} I {verb} alone.",
]
REFRAINS = [
    (
        "Ride on, ride on, the {noun} is calling me,",
        "ride on, ride on, across the hills and to the sea.",
    ),
    ("Oh {adj} {noun}, carry me home,", "over the water and under the stone."),
    ("Sing it low and sing it slow,", "the {noun} knows where the rivers go."),
    ("Hold the {noun}, hold the light,", "we'll be dancing through the night."),
    ("And the {adj} {noun} keeps turning round,", "without a sound, without a sound."),
]
SRT_LINES = [
    "Where were you last night?",
    "At the harbour, with the boats.",
    "The boats were gone by midnight.",
    "That's not what I asked.",
    "Nowhere.",
    "You should have called me.",
    "I tried. Your phone was off.",
    "Who else was there?",
    "Just {name} and his brother.",
    "Don't lie to me.",
    "I'm not lying.",
    "Then look at me.",
    "We need to leave before dawn.",
    "What about the car?",
    "Leave it. They know the car.",
    "How much did he pay you?",
    "Enough.",
    "Is that the letter from {town}?",
    "Read it again.",
    "It doesn't say where she went.",
    "Listen to me.",
    "Come on, we're late.",
]
SRT_REPEATED = ["Where were you last night?", "Listen to me.", "Come on, we're late.", "Why?"]

ZH_CITIES = _w("北京 上海 广州 成都 杭州 武汉 西安 南京 重庆 苏州 青岛 长沙")
ZH_THINGS = _w("公园 图书馆 体育馆 博物馆 地铁站 医院 大桥 学校 菜市场 游泳馆")
ZH_DAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
ZH = [
    "{city}市政府{day}宣布，将在城东新建一座{thing}，预计总投资{n}亿元。",
    "据当地媒体报道，{thing}建成后每年可接待市民约{k}万人次。",
    "项目计划于明年{mon}月动工，工期约为{n}个月。",
    "市规划局负责人表示，新{thing}将优先满足周边社区的需求。",
    "不少居民对此表示欢迎，认为这一计划早就应该实施。",
    "也有市民担心施工期间交通会受到影响，希望有关部门提前公布绕行方案。",
    "{city}去年已建成两座类似的{thing}，运营情况良好。",
    "专家指出，城市公共设施的建设需要兼顾长期维护成本。",
    "市财政局表示，项目资金主要来自地方专项债券和社会投资。",
    "在{day}举行的听证会上，{n}名市民代表发表了意见。",
    "根据方案，{thing}周边还将增设停车位和公交站点。",
    "相关部门将在{mon}月底前完成环境评估工作。",
    "一位在附近居住了{n}年的老人说，他希望早日看到工程完工。",
    "目前，该项目已经进入设计招标阶段，共有{n}家单位报名参加。",
    "按照计划，{thing}每天开放时间为早上八点至晚上九点。",
    "市政府还承诺，将定期在官方网站上公布工程进度。",
]
RU_CITIES = _w("Самаре Казани Твери Перми Омске Вологде Туле Рязани Ярославле Иркутске")
RU_THINGS = [
    "новой библиотеки",
    "детского сада",
    "спортивного комплекса",
    "пешеходного моста",
    "городского парка",
    "поликлиники",
    "бассейна",
]
RU_DAYS = ["в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу"]
RU = [
    "Городской совет в {city} {day} одобрил план строительства {thing}.",
    "Работы должны начаться весной, а стоимость проекта оценивается в {n} миллионов рублей.",
    "По словам главы района, решение обсуждалось почти {n} лет.",
    "Жители собрали более {k} подписей в поддержку проекта.",
    "Критики считают, что деньги лучше потратить на ремонт дорог.",
    "Подрядчик будет выбран на открытом конкурсе до конца {mon}.",
    "На время работ движение по центральной улице будет ограничено.",
    "Похожий проект в соседнем городе был завершён с опозданием на {n} месяцев.",
    "Экологи просят провести обследование берега реки до начала вырубки деревьев.",
    "Первая очередь строительства займёт около {n} месяцев.",
    "Общественные слушания пройдут в здании администрации {day} вечером.",
    "Власти обещают регулярно сообщать о ходе работ на официальном сайте.",
    "По оценкам чиновников, новым объектом будут пользоваться до {k} человек в день.",
    "Часть средств выделит региональный бюджет, остальное добавят частные инвесторы.",
    "Местные предприниматели надеются, что стройка оживит торговлю в районе.",
]
RU_MONTHS = ["марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября"]

CODE_FUNCS = [
    [
        "def update(config, overrides):",
        "    merged_settings = dict(config.defaults)",
        "    merged_settings.update(config.user_values)",
        "    merged_settings.update(config.user.values)",
        '    merged_settings.update(config["user_values"])',
        "    merged_settings.update(overrides)",
        "    return merged_settings",
    ],
    [
        "def load_{a}(path):",
        '    with open(path, encoding="utf-8") as handle:',
        "        rows = [line.rstrip() for line in handle]",
        "    if not rows:",
        "        return []",
        "    return [parse_{a}(row) for row in rows if row]",
    ],
    [
        "def total_{a}(items):",
        "    total = 0",
        "    for item in items:",
        "        if item.{a}_amount is None:",
        "            continue",
        "        total += item.{a}_amount",
        "    return total",
    ],
    [
        "def scale_{a}(values, factor):",
        "    result = []",
        "    for value in values:",
        "        result.append(value * factor)",
        "    return result",
    ],
    [
        "def offset_{a}(values, factor):",
        "    result = []",
        "    for value in values:",
        "        result.append(value + factor)",
        "    return result",
    ],
    [
        "class {A}Store:",
        "    def __init__(self, path):",
        "        self.path = path",
        "        self.items = {{}}",
        "        self.count = 0",
        "",
        "    def add(self, key, value):",
        "        self.items[key] = value",
        "        self.count += 1",
        "",
        "    def remove(self, key):",
        "        del self.items[key]",
        "        self.count -= 1",
    ],
    [
        "def check_{a}(record):",
        "    if record.get({q}{a}_id{q}) is None:",
        '        raise ValueError("missing {a}_id")',
        "    if record.get({q}{a}.id{q}) is None:",
        '        raise ValueError("missing {a}.id")',
        "    if record[{q}{a}_ids{q}] == []:",
        '        raise ValueError("empty {a}_ids")',
        "    return True",
    ],
    [
        "def clamp_{a}(x, low, high):",
        "    if x < low:",
        "        return low",
        "    if x > high:",
        "        return high",
        "    return x",
    ],
    [
        "def sign_{a}(x):",
        "    if x > 0:",
        "        return 1.5",
        "    if x < 0:",
        "        return -1.5",
        "    return 0.5",
    ],
]
CODE_NAMES = ["user", "order", "invoice", "sensor", "route", "price", "event", "frame", "batch"]


# -- documents --------------------------------------------------------------------------------


@dataclass
class Piece:
    """One block of a document being built, with planted ranges relative to it."""

    text: str
    planted: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Doc:
    """A generated document and its labels.

    ``planted`` are ``[start, end)`` character ranges of planted copies; ``origin`` the
    range each copies (same order). Both are offsets into ``text``.
    """

    id: int
    genre: str
    artifact: str
    text: str
    planted: list[tuple[int, int]]
    origin: list[tuple[int, int]]
    variant: str = ""


def _join(pieces: Sequence[Piece], sep: str) -> tuple[str, list[tuple[int, int]]]:
    out: list[str] = []
    planted: list[tuple[int, int]] = []
    pos = 0
    for k, p in enumerate(pieces):
        if k:
            out.append(sep)
            pos += len(sep)
        planted += [(pos + a, pos + b) for a, b in p.planted]
        out.append(p.text)
        pos += len(p.text)
    return "".join(out), planted


def wrap(text: str, width: int) -> str:
    """Greedy hard wrap at ``width``, replacing single spaces by newlines (length kept)."""
    words = re.split(r"(?<=\S) ", text)  # a doubled space stays inside the next word
    lines: list[str] = []
    line = ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    lines.append(line)
    return "\n".join(lines)


class Gen:
    """Fills templates; every sentence of one document is distinct."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.templates: set[str] = set()

    def slots(self) -> dict[str, Any]:
        r = self.rng
        org = r.choice(ORGS)
        return {
            "org": org,
            "Org": org[0].upper() + org[1:],
            "day": r.choice(DAYS),
            "thing": r.choice(THINGS),
            "thing2": r.choice(THINGS),
            "town": r.choice(TOWNS),
            "town2": r.choice(TOWNS),
            "n": r.randint(2, 19),
            "m": f"{r.randint(2, 90)}.{r.randint(1, 9)}",
            "k": f"{r.randint(1, 40)},{r.randint(100, 999)}",
            "p": r.randint(3, 45),
            "h": r.randint(9, 15),
            "month": r.choice(MONTHS),
            "year": r.randint(2026, 2031),
            "year2": r.randint(1978, 2019),
            "name": f"{r.choice(FIRST)} {r.choice(LAST)}",
            "role": r.choice(ROLES),
            "country": r.choice(COUNTRIES),
            "model": r.choice(MODELS),
            "city": r.choice(ZH_CITIES),
            "mon": r.randint(1, 12),
        }

    def sentence(self, templates: Sequence[str], **extra: Any) -> str:
        # A template not used yet in this document when there is one: prose does not
        # say the same thing twice with other numbers (the record genres do, on purpose).
        fresh = [t for t in templates if t not in self.templates] or list(templates)
        for _ in range(200):
            t = self.rng.choice(fresh)
            s = t.format(**{**self.slots(), **extra})
            if s not in self.used:
                self.used.add(s)
                self.templates.add(t)
                return s
        raise RuntimeError("ran out of distinct sentences")

    def paragraph(self, templates: Sequence[str], lo: int, hi: int, **extra: Any) -> list[str]:
        return [self.sentence(templates, **extra) for _ in range(self.rng.randint(lo, hi))]


# -- genres -----------------------------------------------------------------------------------
# A genre returns (head, body, sep, prose): head pieces never copied, body pieces that
# artifacts copy, the separator between blocks, and for prose the body's sentences.


@dataclass
class Base:
    head: list[Piece]
    body: list[Piece]
    sep: str
    sentences: list[list[str]] | None = None  # prose: each body piece's sentences
    width: int = 0  # hard-wrap width of prose, 0 for one line per paragraph
    joiner: str = " "  # between sentences (CJK: none)
    genre: str = ""


def _prose(
    g: Gen,
    templates: Sequence[str],
    title: str,
    rng: random.Random,
    wrapped: bool | None = None,
    joiner: str = " ",
    lo: int = 2,
    hi: int = 5,
    paras: tuple[int, int] = (3, 7),
) -> Base:
    blank = rng.random() < 0.6
    if wrapped is None:
        wrapped = joiner == " " and rng.random() < 0.4
    width = rng.randint(55, 80) if wrapped else 0
    sentences = [g.paragraph(templates, lo, hi) for _ in range(rng.randint(*paras))]
    body = [Piece(_render(s, width, joiner)) for s in sentences]
    return Base([Piece(title)], body, "\n\n" if blank else "\n", sentences, width, joiner)


def _render(sentences: Sequence[str], width: int, joiner: str = " ") -> str:
    text = joiner.join(sentences)
    return wrap(text, width) if width else text


def _title(g: Gen) -> str:
    s = g.slots()
    return g.rng.choice(
        [
            f"{s['thing'].capitalize()} for {s['town']} approved",
            f"New {s['thing']} planned in {s['town']}",
            f"{s['town']} residents divided over {s['thing']}",
            f"Work on {s['town']} {s['thing']} to start in {s['month']}",
        ]
    )


def g_news(g: Gen, rng: random.Random, wrapped: bool | None = None) -> Base:
    return _prose(g, NEWS, _title(g), rng, wrapped)


def g_news_zh(g: Gen, rng: random.Random, wrapped: bool | None = None) -> Base:
    s = g.slots()
    title = f"{s['city']}将新建{rng.choice(ZH_THINGS)}"
    tpl = [t.replace("{thing}", rng.choice(ZH_THINGS)) for t in ZH]
    tpl = [t.replace("{day}", rng.choice(ZH_DAYS)) for t in tpl]
    return _prose(g, tpl, title, rng, False, joiner="", lo=3, hi=5, paras=(3, 6))


def g_news_ru(g: Gen, rng: random.Random, wrapped: bool | None = None) -> Base:
    city = rng.choice(RU_CITIES)
    thing = rng.choice(RU_THINGS)
    tpl = [
        t.replace("{city}", city).replace("{thing}", thing).replace("{mon}", rng.choice(RU_MONTHS))
        for t in RU
    ]
    tpl = [t.replace("{day}", rng.choice(RU_DAYS)) for t in tpl]
    return _prose(g, tpl, f"Новости: в {city} построят здание {thing}", rng, wrapped, lo=2, hi=4)


def g_legal(g: Gen, rng: random.Random, wrapped: bool | None = None) -> Base:
    if wrapped is None:
        wrapped = rng.random() < 0.4
    width = rng.randint(60, 80) if wrapped else 0
    secs = rng.sample(SECTIONS, rng.randint(5, 8))
    repeated_para = rng.sample(LEGAL_CLAUSES, 1)[0].format(**g.slots())
    repeated_sent = rng.choice(LEGAL_REPEATED).format(**g.slots())
    where_para = set(rng.sample(range(len(secs)), min(len(secs), rng.randint(2, 3))))
    where_sent = set(rng.sample(range(len(secs)), 2))
    body: list[Piece] = []
    sentences: list[list[str]] = []
    for k, name in enumerate(secs, 1):
        body.append(Piece(f"{k}. {name}"))
        sentences.append([f"{k}. {name}"])
        for j in range(rng.randint(1, 2)):
            sents = g.paragraph(LEGAL_CLAUSES, 2, 4)
            if j == 0 and k - 1 in where_sent:
                sents.append(repeated_sent)  # a clause the contract repeats, inside a paragraph
            body.append(Piece(_render([f"{k}.{j + 1}", *sents], width)))
            sentences.append([f"{k}.{j + 1}", *sents])
        if k - 1 in where_para:  # the same clause as a paragraph of its own, kept
            body.append(Piece(_render([f"{k}.9", repeated_para], width)))
            sentences.append([f"{k}.9", repeated_para])
    blank = rng.random() < 0.7
    title = Piece(f"SUPPLY AGREEMENT between {rng.choice(LAST)} Ltd and {rng.choice(LAST)} plc")
    return Base([title], body, "\n\n" if blank else "\n", sentences, width)


def g_forum(g: Gen, rng: random.Random, wrapped: bool | None = None) -> Base:
    users = [
        f"user_{w}"
        for w in rng.sample(["river", "stone", "maple", "fox", "quill", "birch", "dune"], 4)
    ]
    posts: list[tuple[str, list[str]]] = []
    body: list[Piece] = []
    sentences: list[list[str]] = []
    for k in range(rng.randint(3, 5)):
        user = users[k % len(users)]
        sents = g.paragraph(FORUM, 2, 4)
        head = f"{user} wrote:"
        text = " ".join(sents)
        own = sents  # the post's own sentences, verbatim and in order
        if posts and rng.random() < 0.7:
            who, earlier = rng.choice(posts)
            words = " ".join(earlier).split()
            take = rng.randint(min(12, len(words)), min(45, len(words)))
            quote = " ".join(words[:take]).rstrip(".,?")
            style = rng.random()
            if style < 0.5:  # an inline quotation inside a sentence that goes on
                first = f"{sents[0][0].lower()}{sents[0][1:]}"
                text = f'As {who} said, "{quote}" - {first} ' + " ".join(sents[1:])
                own = sents[1:]
            elif style < 0.8:  # a one-line block quotation of the earlier post
                text = f"> {' '.join(earlier)}\n" + text
            else:
                text = f"Quote from {who}: {' '.join(earlier)}\n" + text
        posts.append((user, sents))
        body.append(Piece(f"{head}\n{text}"))
        sentences.append(own)
    title = Piece(f"Storing winter tyres - page {rng.randint(1, 9)}")
    return Base([title], body, "\n\n", sentences)


def g_faq(g: Gen, rng: random.Random, wrapped: bool | None = None) -> Base:
    pairs = rng.sample(FAQ, rng.randint(4, 8))
    shared = rng.choice(FAQ_SHARED).format(**g.slots())
    extra = rng.sample(FAQ_Q_EXTRA, rng.randint(2, 3))
    items = [(q, a.format(**g.slots())) for q, a in pairs]
    for q in extra:  # the same answer under different questions
        items.insert(rng.randint(1, len(items)), (q, shared))
    style = rng.choice(["qa", "md", "plain"])
    body: list[Piece] = []
    for q, a in items:
        if style == "qa":
            body.append(Piece(f"Q: {q}\nA: {a}"))
        elif style == "md":
            body.append(Piece(f"### {q}\n\n{a}"))
        else:
            body.append(Piece(f"{q}\n{a}"))
    sep = "\n\n" if style != "plain" or rng.random() < 0.5 else "\n"
    return Base([Piece("Frequently asked questions")], body, sep)


def _fill_song(g: Gen, rng: random.Random, line: str) -> str:
    w = SONG_WORDS
    return line.format(
        noun=rng.choice(w["noun"]),
        noun2=rng.choice(w["noun"]),
        adj=rng.choice(w["adj"]),
        adj2=rng.choice(w["adj"]),
        verb=rng.choice(w["verb"]),
        time=rng.choice(w["time"]),
    )


def _song(g: Gen, rng: random.Random, blank: bool) -> Base:
    r1, r2 = rng.choice(REFRAINS)
    refrain = [_fill_song(g, rng, r1), _fill_song(g, rng, r2)]
    if not blank and rng.random() < 0.5:
        refrain = refrain[:1]  # a one-line refrain in a poem
    stanzas: list[str] = []
    for _ in range(rng.randint(3, 4)):
        lines: list[str] = []
        while len(lines) < rng.randint(2, 4):
            line = _fill_song(g, rng, rng.choice(SONG_LINES))
            if line not in g.used:
                g.used.add(line)
                lines.append(line)
        lines[-1] = lines[-1].rstrip(",") + "."
        stanzas.append("\n".join(lines))
    body: list[Piece] = []
    for s in stanzas:
        body.append(Piece(s))
        body.append(Piece("\n".join(refrain)))
    title = " ".join(w.capitalize() for w in _fill_song(g, rng, "{adj} {noun}").split())
    return Base([Piece(title)], body, "\n\n" if blank else "\n")


def g_song(g: Gen, rng: random.Random, wrapped: bool | None = None) -> Base:
    return _song(g, rng, True)


def g_poem(g: Gen, rng: random.Random, wrapped: bool | None = None) -> Base:
    return _song(g, rng, False)


def g_code(g: Gen, rng: random.Random, wrapped: bool | None = None) -> Base:
    names = rng.sample(CODE_NAMES, 4)
    funcs = rng.sample(CODE_FUNCS, rng.randint(3, 5))
    body: list[Piece] = []
    for k, f in enumerate(funcs):
        a = names[k % len(names)]
        q = rng.choice(["'", '"'])
        text = "\n".join(f).format(a=a, A=a.capitalize(), q=q)
        body.append(Piece(text))
    head = [Piece('"""Helpers for the ' + names[0] + ' module."""'), Piece("import os")]
    return Base(head, body, "\n\n\n" if rng.random() < 0.5 else "\n\n")


def g_csv(g: Gen, rng: random.Random, wrapped: bool | None = None) -> Base:
    stations = rng.sample(TOWNS, 3)
    day = rng.randint(1, 20)
    rows: list[Piece] = []
    for _ in range(rng.randint(8, 20)):
        st = rng.choice(stations)
        if rows and rng.random() < 0.3:  # the same day and station, another reading
            prev = rows[-1].text.split(",")
            temp = float(prev[2]) + rng.choice([-0.1, 0.1, 0.2, -0.2])
            row = f"{prev[0]},{prev[1]},{temp:.1f},{prev[3]},{prev[4]}"
            if row not in g.used:
                g.used.add(row)
                rows.append(Piece(row))
            continue
        day += rng.randint(0, 1)
        temp = rng.uniform(-5, 25)
        row = (
            f"2026-03-{day:02d},{st} North,{temp:.1f},{rng.randint(40, 99)},"
            f"{rng.choice(['clear', 'rain', 'cloudy', 'fog'])}"
        )
        if row not in g.used:
            g.used.add(row)
            rows.append(Piece(row))
    return Base([Piece("date,station,temperature_c,humidity_pct,sky")], rows, "\n")


def g_table(g: Gen, rng: random.Random, wrapped: bool | None = None) -> Base:
    head = [
        Piece("| Item | Warehouse | Quantity | Unit price | Status |"),
        Piece("|---|---|---|---|---|"),
    ]
    items = [
        "Steel bolt M8",
        "Steel bolt M10",
        "Hinge, brass",
        "Hinge, steel",
        "Cable tie 200mm",
        "Cable tie 300mm",
        "Wood screw 4x40",
        "Wood screw 4x50",
        "Washer M8",
        "Dowel 8mm",
    ]
    wh = rng.sample(TOWNS, 2)
    rows = [
        Piece(
            f"| {it} | {rng.choice(wh)} | {rng.randint(10, 900)} | {rng.randint(1, 9)}."
            f"{rng.randint(10, 99)} | {rng.choice(['in stock', 'in stock', 'ordered', 'low'])} |"
        )
        for it in rng.sample(items, rng.randint(6, 10))
    ]
    return Base(head, rows, "\n")


def _ts(t: float) -> str:
    ms = round(t * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def g_srt(g: Gen, rng: random.Random, wrapped: bool | None = None) -> Base:
    n0 = rng.randint(1, 300)
    t = rng.uniform(10, 3000)
    cues: list[Piece] = []
    lines = [s.format(**g.slots()) for s in rng.sample(SRT_LINES, rng.randint(6, 12))]
    rep = rng.choice(SRT_REPEATED)
    for k in rng.sample(range(len(lines)), 2):
        lines.insert(k, rep)  # the same line spoken again, at another time
    prev = ""
    for k, line in enumerate(lines):
        if line == prev:
            line = "What?"
        prev = line
        d = rng.uniform(1.0, 3.0)
        cues.append(Piece(f"{n0 + k}\n{_ts(t)} --> {_ts(t + d)}\n{line}"))
        t += d + rng.uniform(0.2, 4.0)
    return Base([], cues, "\n\n")


def g_records(g: Gen, rng: random.Random, wrapped: bool | None = None) -> Base:
    style = rng.choice(["route", "person", "plot"])
    base_no = rng.randint(1000, 9000)
    towns = rng.sample(TOWNS, 3)
    rows: list[Piece] = []
    for k in range(rng.randint(5, 12)):
        no = base_no + k + rng.randint(0, 1) * 5
        if style == "route":
            text = (
                f"Route {no} (CR {no}) runs from {rng.choice(towns)} to the "
                f"{rng.choice(towns)} County line."
            )
        elif style == "person":
            text = (
                f"{rng.choice(FIRST)} {rng.choice(LAST)}, born {rng.randint(1940, 2001)}, "
                f"{rng.choice(['teacher', 'nurse', 'engineer', 'farmer'])} in {rng.choice(towns)}."
            )
        else:
            text = (
                f"Plot {no}: {rng.randint(200, 900)} square metres, {rng.choice(towns)} "
                f"Road, owner {rng.choice(LAST)} family."
            )
        if text in g.used:
            continue
        g.used.add(text)
        rows.append(Piece(text))
    title = {
        "route": "County routes in the northern district",
        "person": "Register of members",
        "plot": "Allotment plots",
    }[style]
    return Base([Piece(title)], rows, "\n")


GENRES: dict[str, Callable[[Gen, random.Random], Base]] = {
    "news": g_news,
    "news_zh": g_news_zh,
    "news_ru": g_news_ru,
    "legal": g_legal,
    "forum": g_forum,
    "faq": g_faq,
    "song": g_song,
    "poem": g_poem,
    "code": g_code,
    "csv": g_csv,
    "table": g_table,
    "srt": g_srt,
    "records": g_records,
}
GENRE_WEIGHT = {"news": 3, "legal": 2, "forum": 2}
ARTIFACTS: dict[str, list[str]] = {
    "news": ["doubled", "edited", "rewrapped", "midline", "short", "markup"],
    "news_zh": ["cjk"],
    "news_ru": ["cyrillic"],
    "legal": ["doubled", "edited", "rewrapped", "midline", "short"],
    "forum": ["doubled", "edited", "short", "midline"],
    "faq": ["doubled", "run", "edited"],
    "song": ["doubled", "run"],
    "poem": ["doubled", "run"],
    "code": ["doubled", "run"],
    "csv": ["doubled", "run"],
    "table": ["doubled", "run"],
    "srt": ["doubled", "run"],
    "records": ["doubled", "run"],
}


# -- artifacts --------------------------------------------------------------------------------


def _edit(text: str, rng: random.Random) -> str:
    """One or two small edits of a copy: quotes, a doubled space, case, a letter, a punctuation
    mark (a comma added, or turned into a semicolon).

    The small edits of issue 10 ("quotes, whitespace, case, a fixed typo, a changed
    punctuation mark"); before session 6 the last kind added a word (``also``, ``still``,
    ``now``, ``then``), but a word added is content: ``clean`` keeps both copies of a text
    that says one word more (docs/concepts.md), and the copy is no longer planted as an edit.
    """
    words = text.split(" ")
    for _ in range(rng.randint(1, 2)):
        kind = rng.choice(["quote", "space", "case", "typo", "punct"])
        if kind == "quote" and '"' in text:
            text = text.replace('"', "\u201c", 1).replace('"', "\u201d", 1)
            words = text.split(" ")
            continue
        k = rng.randrange(1, len(words)) if len(words) > 2 else 0
        w = words[k]
        if kind == "space":
            words[k] = " " + w
        elif kind == "case" and w[:1].isalpha():
            words[k] = w[0].swapcase() + w[1:]
        elif kind == "typo" and len(w) > 4 and w.isalpha():
            i = rng.randrange(1, len(w) - 2)
            words[k] = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        elif w[-1:] == ",":
            words[k] = w[:-1] + ";"
        elif w[-1:].isalpha():
            words[k] = w + ","
        text = " ".join(words)
    return text


def _edit_para(sentences: Sequence[str], rng: random.Random) -> str:
    """A paragraph with one or two small edits; headings and numbers stay as they are."""
    text = " ".join(sentences)
    return _edit(text, rng) if len(text.split()) >= 8 else text


def plant(base: Base, artifact: str, rng: random.Random) -> tuple[list[Piece], str]:
    """Insert one copy into the body; return the pieces (head + body) and the variant."""
    body = list(base.body)
    n = len(body)
    sep = base.sep
    if artifact == "none":
        return base.head + body, ""
    sents = base.sentences
    if artifact == "doubled" or (artifact in ("cjk", "cyrillic") and rng.random() < 0.35):
        copy = sep.join(p.text for p in body)
        return base.head + body + [Piece(copy, [(0, len(copy))])], "body"
    if artifact == "run":
        k = rng.randint(2, min(4, n))
        i = rng.randrange(0, n - k + 1)
        while sum(len(p.text) for p in body[i : i + k]) < 120 and k < n:
            k += 1
            i = min(i, n - k)
        copy = sep.join(p.text for p in body[i : i + k])
        at = i + k if rng.random() < 0.5 else n
        body.insert(at, Piece(copy, [(0, len(copy))]))
        return base.head + body, "stutter" if at == i + k else "end"
    if artifact == "edited" and (sents is None or base.genre == "forum"):
        # Blocks are not plain paragraphs: edit their text (a double post, a pasted pair).
        if rng.random() < 0.4 or n < 3:
            i = rng.randrange(n)
            copy = _edit(body[i].text, rng)
            body.insert(i + 1, Piece(copy, [(0, len(copy))]))
            return base.head + body, "adjacent"
        k = rng.randint(2, min(3, n))
        i = rng.randrange(0, n - k + 1)
        copy = sep.join(_edit(p.text, rng) for p in body[i : i + k])
        body.append(Piece(copy, [(0, len(copy))]))
        return base.head + body, "blocks"
    if sents is None:
        raise ValueError(f"artifact {artifact!r} needs prose")
    # Paragraphs with at least three sentences (the short copies need a strict part).
    long = [i for i in range(n) if len(sents[i]) >= 3 and _words(sents[i]) >= 20]
    if artifact == "edited":
        if rng.random() < 0.3 or n < 3:  # one paragraph right after itself
            i = rng.choice(long or list(range(n)))
            copy = _render([_edit_para(sents[i], rng)], base.width)
            body.insert(i + 1, Piece(copy, [(0, len(copy))]))
            return base.head + body, "adjacent"
        k = rng.randint(2, min(3, n))
        i = rng.randrange(0, n - k + 1)
        copy = sep.join(_render([_edit_para(sents[j], rng)], base.width) for j in range(i, i + k))
        body.append(Piece(copy, [(0, len(copy))]))
        return base.head + body, "paragraphs"
    if artifact == "markup":
        k = rng.randint(2, min(4, n))
        i = rng.randrange(0, n - k + 1)
        paras = [" ".join(sents[j]) for j in range(i, i + k)]
        if rng.random() < 0.5:
            paras = [_edit(p, rng) for p in paras]
        copy = "\n".join(f"<p>{p}</p>" for p in paras)
        body.append(Piece("Read more:"))
        body.append(Piece(copy, [(0, len(copy))]))
        body.append(Piece("Share this article"))
        return base.head + body, ""
    if artifact in ("short", "rewrapped", "midline", "cjk", "cyrillic"):
        joiner = base.joiner
        whole = artifact in ("rewrapped", "midline") and rng.random() < 0.5
        if artifact == "cjk" and rng.random() < 0.5:  # a paragraph pasted twice on one line
            i = rng.randrange(n)
            t = body[i].text
            body[i] = Piece(t + t, [(len(t), 2 * len(t))])
            return base.head + body, "same-line"
        if whole or not long:
            k = rng.randint(1 if artifact == "midline" or not joiner else 2, min(2, n))
            if not joiner or base.genre == "forum":
                k = 1  # CJK paragraphs are long; forum posts have a header between them
            i = rng.randrange(0, n - k + 1)
            picked = [s for j in range(i, i + k) for s in sents[j]]
            variant = f"{k}-paragraphs"
        else:
            i = rng.choice(long)
            k = rng.randint(2, min(3, len(sents[i]) - 1))
            a = rng.randrange(0, len(sents[i]) - k + 1)
            picked = sents[i][a : a + k]
            if _words(picked) < 25 and joiner == " ":
                k = len(sents[i]) - 1
                a = rng.choice([0, 1])
                picked = sents[i][a : a + k]
            variant = f"{k}-sentences"
        if artifact == "rewrapped":
            width = base.width or 70
            other = rng.choice([w for w in range(40, 96) if abs(w - width) >= 10])
            copy = wrap(joiner.join(picked), other)
            body.append(Piece(copy, [(0, len(copy))]))
            return base.head + body, variant
        if artifact == "short":
            copy = joiner.join(picked)
            at = rng.randint(i + 1, n)
            body.insert(at, Piece(copy, [(0, len(copy))]))
            return base.head + body, variant
        # midline, or a CJK/Cyrillic copy at the end of a later paragraph's last line
        at = rng.randint(i + k - 1 if whole else i, n - 1)
        if variant.endswith("-paragraphs"):
            # Not inside its own original: pasted at the end of paragraph i, a copy of
            # paragraphs i and i + 1 would come before the original of its second half,
            # and the copy kept (the first) would be the planted one (seed 3, doc 412).
            # (After the draw, so the documents after this one stay the same.)
            at = max(at, i + k - 1)
        copy = joiner.join(picked)
        t = body[at].text
        glue = joiner if joiner else ""
        body[at] = Piece(t + glue + copy, [(len(t) + len(glue), len(t) + len(glue) + len(copy))])
        return base.head + body, f"midline-{variant}"
    raise ValueError(f"unknown artifact {artifact!r}")


_CJK = re.compile(r"[\u3400-\u9fff]")


def _words(sentences: Sequence[str]) -> int:
    """Words, counting one CJK character as one word."""
    return sum(len(s.split()) + len(_CJK.findall(s)) for s in sentences)


def _locate(text: str, copy: tuple[int, int]) -> tuple[int, int]:
    """Where the text a planted copy repeats sits, before it (whitespace and markup aside)."""
    piece = re.sub(r"</?p>", " ", text[copy[0] : copy[1]])
    words = piece.split()
    pattern = r"\s+".join(re.escape(w) for w in words)  # CJK: one word, no spaces
    m = re.search(pattern, text[: copy[0]], flags=re.IGNORECASE)
    if m is None:  # an edited copy: the first and the last unedited 5 words as anchors
        before = text[: copy[0]]

        def anchor(ws: Sequence[str]) -> re.Match[str] | None:
            return re.search(r"\s+".join(re.escape(w) for w in ws), before)

        hits = [h for a in range(len(words) - 4) if (h := anchor(words[a : a + 5]))]
        if not hits:
            raise RuntimeError(f"no origin for planted copy {text[copy[0] : copy[1]][:60]!r}")
        return min(h.start() for h in hits), max(h.end() for h in hits)
    return m.start(), m.end()


def _fixture_docs(start_id: int) -> list[Doc]:
    """The real doubled article, and variants: blank lines, no tail, the copy mid-line."""
    if not FIXTURE.exists():
        return []
    raw = FIXTURE.read_text(encoding="utf-8")
    lines = raw.rstrip("\n").split("\n")
    first, rest = lines[:10], lines[10:]
    assert rest == lines[1:10], "the fixture changed: lines 11-19 no longer repeat lines 2-10"
    out: list[Doc] = []
    variants = {
        "as-is": ("\n", raw[len("\n".join(lines)) :]),
        "no-tail": ("\n", ""),
        "blank-lines": ("\n\n", "\n"),
    }
    for name, (sep, tail) in variants.items():
        head = sep.join(first)
        copy = sep.join(rest)
        text = head + sep + copy + tail
        planted = [(len(head) + len(sep), len(head) + len(sep) + len(copy))]
        origin = [_locate(text, planted[0])]
        out.append(Doc(start_id + len(out), "fixture", "doubled", text, planted, origin, name))
    head = "\n".join(first)
    copy = " ".join(rest)
    text = head + " " + copy + "\n"
    planted = [(len(head) + 1, len(head) + 1 + len(copy))]
    out.append(
        Doc(
            start_id + len(out),
            "fixture",
            "midline",
            text,
            planted,
            [_locate(text, planted[0])],
            "one-line-copy",
        )
    )
    return out


def generate(n_docs: int, seed: int) -> list[Doc]:
    """``n_docs`` labelled documents (plus the fixture and its variants), all from ``seed``."""
    rng = random.Random(seed)
    # Prose carries most kinds of artifact: more documents of it.
    genres = [g for g in GENRES for _ in range(GENRE_WEIGHT.get(g, 1))]
    docs: list[Doc] = []
    for k in range(n_docs):
        genre = genres[k % len(genres)]
        drng = random.Random(rng.getrandbits(64))
        artifact = "none"
        if drng.random() < ARTIFACT_SHARE:
            artifact = drng.choice(ARTIFACTS[genre])
        wrapped = True if artifact == "rewrapped" else None
        base = (
            GENRES[genre](Gen(drng), drng)
            if wrapped is None
            else GENRES[genre](
                Gen(drng),
                drng,
                wrapped,  # type: ignore[call-arg]
            )
        )
        base.genre = genre
        pieces, variant = plant(base, artifact, drng)
        text, planted = _join(pieces, base.sep)
        if drng.random() < 0.8:
            text += "\n"
        if re.search(r"[ \t]$", text, flags=re.MULTILINE):
            raise RuntimeError(f"document {k} has trailing spaces")
        origin = [_locate(text, p) for p in planted]
        docs.append(Doc(k, genre, artifact, text, planted, origin, variant))
    return docs + _fixture_docs(n_docs)


# -- scoring ----------------------------------------------------------------------------------

_TERMINAL = set(".!?:;。！？…\"'”’)]>")
_CONTENT = re.compile(r"\w")
_EMPTY_MARKUP = [
    re.compile(r"<(\w+)[^>]*>\s*</\1>"),
    re.compile(r"^[ \t]*>[ \t]*$", re.MULTILINE),
    re.compile(r"^[ \t]*([-*•]|#+)[ \t]*$", re.MULTILINE),
    re.compile(r'""|“”'),
]


def _mask(n: int, ranges: Sequence[tuple[int, int]]) -> bytearray:
    m = bytearray(n)
    for a, b in ranges:
        m[a:b] = b"\x01" * (b - a)
    return m


def _placed(src: str, span: tuple[int, int], removed: bytearray) -> tuple[int, int]:
    """The placement of a planted copy that best matches the removals.

    A copy that follows what it repeats can be cut at any shift where the cut leaves
    the same text ("A B A B": cutting the second "A B" or the middle "B A"). Shifts are
    counted in non-whitespace characters, as the scores are; among the shifts that leave
    the same text, take the one covering the most removed characters.
    """
    pos = [k for k, c in enumerate(src) if not c.isspace()]
    chars = "".join(src[k] for k in pos)
    i = bisect.bisect_left(pos, span[0])
    j = bisect.bisect_left(pos, span[1])
    if i >= j:
        return span
    length = j - i

    def overlap(x: int) -> int:
        return sum(removed[pos[k]] for k in range(x, x + length))

    best, best_overlap = i, overlap(i)
    for d in range(1, length + 1):
        if i - d < 0 or chars[i - d : i] != chars[j - d : j]:
            break
        if (o := overlap(i - d)) > best_overlap:
            best, best_overlap = i - d, o
    for d in range(1, length + 1):
        if j + d > len(chars) or chars[j : j + d] != chars[i : i + d]:
            break
        if (o := overlap(i + d)) > best_overlap:
            best, best_overlap = i + d, o
    if best == i:
        return span
    return pos[best], pos[best + length - 1] + 1


def _mid_sentence(src: str, start: int, end: int) -> bool:
    """Whether a cut starts or ends inside a sentence that goes on in the same line."""
    line_end = src.find("\n", end)
    after = src[end : len(src) if line_end < 0 else line_end]
    before_text = src[:end].rstrip()
    if _CONTENT.search(after) and before_text and before_text[-1] not in _TERMINAL:
        return True
    line_start = src.rfind("\n", 0, start) + 1
    before = src[line_start:start].rstrip()
    return bool(_CONTENT.search(before)) and before[-1] not in _TERMINAL


def score_doc(doc: Doc, clean: Callable[[str], Any]) -> dict[str, Any]:
    """Run ``clean`` on one document and count what it removed against the labels."""
    res = clean(doc.text)
    src: str = res.source
    if src != doc.text:
        raise RuntimeError(f"document {doc.id} is not normalized: source differs from input")
    ranges = [(r.removed.start, r.removed.end) for r in res.removals]
    removed = _mask(len(src), ranges)
    planted = _mask(len(src), [_placed(src, p, removed) for p in doc.planted])
    tp = fp = fn = 0
    for ch, r, p in zip(src, removed, planted, strict=True):
        if ch.isspace():
            continue
        if r and p:
            tp += 1
        elif r:
            fp += 1
        elif p:
            fn += 1
    described = "".join(c for c, r in zip(src, removed, strict=True) if not r)
    report_ok = re.sub(r"\s+", "", described) == re.sub(r"\s+", "", res.text)
    leftover = sum(max(0, len(p.findall(res.text)) - len(p.findall(src))) for p in _EMPTY_MARKUP)
    words = sum(_words([doc.text[a:b]]) for a, b in doc.planted)
    return {
        "id": doc.id,
        "genre": doc.genre,
        "copy_words": words,
        "copy_size": _size_bucket(words),
        "artifact": doc.artifact,
        "variant": doc.variant,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "removals": len(ranges),
        "mid_sentence": sum(_mid_sentence(src, a, b) for a, b in ranges),
        "leftover_markup": leftover,
        "report_ok": report_ok,
        "kinds": sorted({r.kind for r in res.removals}),
    }


SIZE_BUCKETS = ((0, "none"), (1, "1-29 words"), (30, "30-49 words"), (50, "50-99 words"))


def _size_bucket(words: int) -> str:
    """Length class of a planted copy, in words (one CJK character is one word)."""
    if words >= 100:
        return "100+ words"
    return [name for low, name in SIZE_BUCKETS if words >= low][-1]


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    tp = sum(r["tp"] for r in rows)
    fp = sum(r["fp"] for r in rows)
    fn = sum(r["fn"] for r in rows)
    clean_docs = [r for r in rows if r["artifact"] == "none"]
    return {
        "docs": len(rows),
        "planted_docs": len(rows) - len(clean_docs),
        # Undefined on documents with nothing planted: "clean lost" counts those.
        "precision": round(tp / (tp + fp), 4) if tp + fp and tp + fn else None,
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "planted_chars": tp + fn,
        "lost_chars": fp,
        "lost_docs": sum(r["fp"] > 0 for r in rows),
        "clean_lost_docs": sum(r["fp"] > 0 for r in clean_docs),
        "missed_docs": sum(r["fn"] > 0 for r in rows),
        "mid_sentence": sum(r["mid_sentence"] for r in rows),
        "leftover_markup": sum(r["leftover_markup"] for r in rows),
        "report_mismatch": sum(not r["report_ok"] for r in rows),
    }


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def table(title: str, groups: dict[str, dict[str, Any]]) -> str:
    head = (
        f"| {title} | docs | planted | precision | recall | lost docs | clean lost | "
        "missed docs | mid-sentence | markup | report |"
    )
    lines = [head, "|" + "---|" * 11]
    for name, s in groups.items():
        lines.append(
            f"| {name} | {s['docs']} | {s['planted_docs']} | {_fmt(s['precision'])} | "
            f"{_fmt(s['recall'])} | {s['lost_docs']} | {s['clean_lost_docs']} | "
            f"{s['missed_docs']} | {s['mid_sentence']} | {s['leftover_markup']} | "
            f"{s['report_mismatch']} |"
        )
    return "\n".join(lines)


def _memoize_lsh_params() -> list[str]:
    """Cache ``lsh_params`` where ``clean`` looks it up: it is pure and costs ~0.3 s a call.

    Only the speed changes (the same arguments give the same bands and rows); the names
    patched are returned and recorded in the results.
    """
    import functools
    import importlib

    patched = []
    for name in ("textdedup.clean", "textdedup.lsh"):
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        fn = getattr(mod, "lsh_params", None)
        if fn is not None and not hasattr(fn, "cache_info"):
            mod.lsh_params = functools.cache(fn)
            patched.append(f"{name}.lsh_params")
    return patched


def _git(args: list[str], cwd: Path) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--docs", type=int, default=DOCS, help="generated documents (fixture aside)")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "clean_quality.json")
    ap.add_argument("--failures", type=int, default=0, help="print this many failing documents")
    ap.add_argument(
        "--no-memo",
        action="store_true",
        help="do not memoize lsh_params (a pure function; memoizing changes only the speed)",
    )
    args = ap.parse_args(argv)

    import textdedup

    memo = _memoize_lsh_params() if not args.no_memo else []
    t0 = time.perf_counter()
    docs = generate(args.docs, args.seed)
    t_gen = time.perf_counter() - t0
    rows = [score_doc(d, textdedup.clean) for d in docs]
    seconds = time.perf_counter() - t0
    by_genre: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_artifact: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_size: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_genre[r["genre"]].append(r)
        by_artifact[r["artifact"]].append(r)
        by_size[r["copy_size"]].append(r)
    sizes = {
        name: summarize(by_size[name])
        for name in [n for _, n in SIZE_BUCKETS] + ["100+ words"]
        if name in by_size
    }
    genres = {g: summarize(v) for g, v in by_genre.items()}
    order = ["none", *dict.fromkeys(a for kinds in ARTIFACTS.values() for a in kinds)]
    order += sorted(set(by_artifact) - set(order))
    artifacts = {a: summarize(by_artifact[a]) for a in order if a in by_artifact}
    total = summarize(rows)
    fixture = [r for r in rows if r["genre"] == "fixture"]
    src_dir = Path(textdedup.__file__).resolve().parent
    results = {
        "command": "PYTHONPATH=src .venv/bin/python benchmarks/clean_quality.py"
        + (f" --seed {args.seed}" if args.seed != SEED else "")
        + (f" --docs {args.docs}" if args.docs != DOCS else ""),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "seed": args.seed,
        "versions": {
            "textdedup": getattr(textdedup, "__version__", "?"),
            "textdedup_path": str(src_dir),
            "git_commit": _git(["rev-parse", "--short", "HEAD"], src_dir),
            "git_branch": _git(["rev-parse", "--abbrev-ref", "HEAD"], src_dir),
            # The last commit that changed the package measured (a benchmark-only commit
            # on top does not change the code measured).
            "src_commit": _git(["log", "-1", "--format=%h", "--", "."], src_dir),
            "src_uncommitted_changes": bool(_git(["status", "--porcelain", "--", "."], src_dir)),
            "python": platform.python_version(),
        },
        "memoized": memo,
        "total": total,
        "fixture_right": all(r["fp"] == 0 and r["fn"] == 0 for r in fixture),
        "targets": {
            "clean_docs_unique_lost": total["clean_lost_docs"],
            "recall": total["recall"],
            "met": total["clean_lost_docs"] == 0
            and (total["recall"] or 0) >= 0.98
            and all(r["fp"] == 0 and r["fn"] == 0 for r in fixture),
        },
        "per_genre": genres,
        "per_artifact": artifacts,
        "per_copy_size": sizes,
        "documents": rows,
        "seconds": {"generate": round(t_gen, 2), "total": round(seconds, 2)},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    v = results["versions"]
    print(
        f"textdedup {v['textdedup']} at {v['textdedup_path']} (branch {v['git_branch']}, "
        f"package last changed in {v['src_commit']}"
        f"{', with uncommitted changes' if v['src_uncommitted_changes'] else ''})"
    )
    print(f"{len(docs)} documents, seed {args.seed}, {seconds:.1f} s\n")
    print(table("genre", {**genres, "all": total}))
    print()
    print(table("artifact", {**artifacts, "all": total}))
    print()
    print(table("copy size", {**sizes, "all": total}))
    print(
        f"\ntargets: clean documents with unique text lost {total['clean_lost_docs']} (target 0), "
        f"recall {_fmt(total['recall'])} (target >= 0.98), fixture and variants right: "
        f"{results['fixture_right']} -> {'met' if results['targets']['met'] else 'NOT met'}"
    )
    if args.failures:
        _show_failures(docs, rows, args.failures, textdedup.clean)
    print(f"wrote {args.out}", file=sys.stderr)


def _show_failures(
    docs: Sequence[Doc], rows: Sequence[dict[str, Any]], limit: int, clean: Callable[[str], Any]
) -> None:
    """Print the first failing documents of each genre and artifact (for debugging)."""
    seen: set[tuple[str, str, str]] = set()
    shown = 0
    for d, r in zip(docs, rows, strict=True):
        why = "lost" if r["fp"] else "missed" if r["fn"] else ""
        if not why or (d.genre, d.artifact, why) in seen or shown >= limit:
            continue
        seen.add((d.genre, d.artifact, why))
        shown += 1
        res = clean(d.text)
        print(
            f"\n--- doc {d.id} {d.genre}/{d.artifact} {d.variant}: {why} "
            f"(lost {r['fp']}, missed {r['fn']} chars)"
        )
        for rem in res.removals:
            print(
                "  removal:", rem.reason, repr(res.source[rem.removed.start : rem.removed.end][:90])
            )
        for a, b in d.planted:
            print("  planted:", repr(d.text[a:b][:90]))


if __name__ == "__main__":
    main()
