"""Held-out inputs of a new user's try (try6, session 7), by kind: legitimate repetition kept.

Each test holds the try's input and inputs of our own of the same kind; the controls are
real pastes of the same size that still go.
"""

from __future__ import annotations

import pytest

from textdedup import clean
from textdedup.config import CleanConfig

# -- A0: two records of one template that share their closing (or opening) sentences ------

SHARED_TAIL = [
    # try6 k1_fixtures_shared_tail
    "Weekend fixtures\n\n"
    "Saturday: Harbour Rovers v Penzance AFC at the Mennaye Field. Kick-off is at 3pm and the"
    " gates open at 1.30pm. Tickets cost £12 for adults and £5 for under-16s, and can be bought"
    " at the gate or online.\n\n"
    "Sunday: Harbour Rovers Women v Falmouth Town Ladies at the Mennaye Field. Kick-off is at"
    " 3pm and the gates open at 1.30pm. Tickets cost £12 for adults and £5 for under-16s, and"
    " can be bought at the gate or online.\n\n"
    "Parking is available at the leisure centre.\n",
    # try6 k1_flats_shared_tail_lines: one record a line
    "Flat 1, 14 Harbour Street: two-bedroom flat on the ground floor with a small garden. The"
    " flat is let unfurnished and is available from 1 May. Council tax band B; the deposit is"
    " five weeks' rent, and pets are considered on request.\n"
    "Flat 3, 14 Harbour Street: one-bedroom flat on the second floor with a view of the"
    " harbour. The flat is let unfurnished and is available from 1 May. Council tax band B;"
    " the deposit is five weeks' rent, and pets are considered on request.\n"
    "Viewings by appointment only.\n",
    # try6 k1_flats_html_listing: one HTML card a line
    '<div class="listing"><h3>Flat 1</h3><p>Two-bedroom flat on the ground floor with a small'
    " garden. The flat is let unfurnished and is available from 1 May. Council tax band B; the"
    " deposit is five weeks' rent, and pets are considered on request.</p></div>\n"
    '<div class="listing"><h3>Flat 3</h3><p>One-bedroom flat on the second floor with a view'
    " of the harbour. The flat is let unfurnished and is available from 1 May. Council tax"
    " band B; the deposit is five weeks' rent, and pets are considered on request.</p></div>\n",
    # try6 k1_contract_clauses_shared_tail: differently numbered clauses
    "5. CONFIDENTIALITY\n\n"
    "5.3 The Supplier shall keep all Customer Data confidential and shall use it only to"
    " perform the Services. This obligation survives the termination of this Agreement. It"
    " does not apply to information that is already public or that the receiving party"
    " developed independently.\n\n"
    "6. FEES\n\n6.1 The Customer shall pay the Fees within 30 days of the date of each invoice.\n\n"
    "7. PRICING\n\n"
    "7.2 The Customer shall keep the Supplier's price list confidential and shall not disclose"
    " it to any third party. This obligation survives the termination of this Agreement. It"
    " does not apply to information that is already public or that the receiving party"
    " developed independently.\n",
    # try6 k1_poem_stanza_tail_refrain: a refrain closing two stanzas
    "The Lamplighter\n\n"
    "He climbs the ladder every dusk\nand sets the harbour lamps alight,\n"
    "the gulls are quiet on the husk\nof boats pulled up for winter night.\n"
    "So let the lamps burn on the quay until the morning comes.\n"
    "The sea is dark, but we are home, and no one counts the sums.\n\n"
    "She waits beside the kitchen fire\nand listens for the rope and oar,\n"
    "the kettle sings, the flames climb higher,\nshe hears his boots upon the floor.\n"
    "So let the lamps burn on the quay until the morning comes.\n"
    "The sea is dark, but we are home, and no one counts the sums.\n",
    # try6 k1_faq_md_shared_closing: answers under Markdown questions
    "Help centre\n\n### How do I change my delivery address?\n\n"
    "Open Orders, choose the order and tap Change address. If you still need help, our"
    " support team is available by chat from 8:00 to 20:00. We usually answer within ten"
    " minutes.\n\n### Can I cancel a subscription?\n\n"
    "Go to Account, then Subscriptions, and tap Cancel. If you still need help, our support"
    " team is available by chat from 8:00 to 20:00. We usually answer within ten minutes.\n\n"
    "### Do you ship to Norway?\n\nYes, within 5 working days.\n",
    # try6 k1_flats_shared_head: the same sentences open both ads
    "The flat is let unfurnished and is available from 1 May. Council tax band B; the deposit"
    " is five weeks' rent, and pets are considered on request. Flat 1 is a two-bedroom flat on"
    " the ground floor with a small garden.\n\n"
    "The flat is let unfurnished and is available from 1 May. Council tax band B; the deposit"
    " is five weeks' rent, and pets are considered on request. Flat 3 is a one-bedroom flat on"
    " the second floor with a view of the harbour.\n\n"
    "Viewings by appointment only.\n",
    # try6 k1_zh_flats_shared_tail
    "出租信息\n\n"
    "一号公寓位于港口街十四号一楼，两室一厅，带小花园。房屋不带家具，五月一日起可入住。"
    "押金为五周房租，可协商养宠物。\n\n"
    "三号公寓位于港口街十四号三楼，一室一厅，可以看到港口。房屋不带家具，五月一日起可入住。"
    "押金为五周房租，可协商养宠物。\n\n"
    "看房请提前预约。\n",
    # our own: a refrain closing two stanzas whose own lines make one and two sentences
    "Harbour Song\n\n"
    "The nets are mended, the boats are in,\nthe lamps are lit along the pier,\n"
    "the children sleep, the tides begin,\nand nothing else is needed here.\n"
    "So row me home across the bay, where the quiet water lies.\n"
    "And keep the light upon the quay until the morning skies.\n\n"
    "The wind is up. The rain is cold.\nThe cargo waits along the wall.\n"
    "The skipper's hands are growing old.\nHe does not mind the rain at all.\n"
    "So row me home across the bay, where the quiet water lies.\n"
    "And keep the light upon the quay until the morning skies.\n",
    # our own: Spanish hotel rooms, one card a line
    "Habitación doble: 25 m², cama de matrimonio y vistas al jardín. El desayuno está incluido"
    " y se sirve de 7:30 a 10:30. La entrada es a partir de las 15:00 y la salida antes de las"
    " 11:00.\n"
    "Suite junior: 40 m², salón independiente y terraza privada con vistas al mar. El desayuno"
    " está incluido y se sirve de 7:30 a 10:30. La entrada es a partir de las 15:00 y la"
    " salida antes de las 11:00.\n",
    # our own: two job ads under plain titles that close with the same application text
    "Vacancies\n\n"
    "Warehouse operative (full time): you will pick, pack and load orders on the early shift."
    " Apply with your CV and a short cover letter to jobs@example.com by 15 April. We reply"
    " to every applicant within two weeks.\n\n"
    "Delivery driver (part time): you will drive our electric van on three routes around the"
    " town. Apply with your CV and a short cover letter to jobs@example.com by 15 April. We"
    " reply to every applicant within two weeks.\n",
    # our own: a Russian list of two courses that share their closing sentences
    "Курсы весной\n\n"
    "Курс рисования для начинающих ведёт Анна Петрова по вторникам. Занятия проходят в"
    " большом зале библиотеки, вход со двора. Все материалы выдаются на месте, а записаться"
    " можно по телефону или на сайте библиотеки.\n\n"
    "Курс керамики для взрослых ведёт Олег Смирнов по четвергам. Занятия проходят в большом"
    " зале библиотеки, вход со двора. Все материалы выдаются на месте, а записаться можно по"
    " телефону или на сайте библиотеки.\n",
]


@pytest.mark.parametrize("text", SHARED_TAIL)
def test_records_that_share_their_closing_sentences_are_kept(text: str) -> None:
    result = clean(text)
    assert result.text == text
    assert result.removals == ()
    # Found and reported all the same, and removed when the user asks for it.
    assert len(result.isolated) == 1 and result.isolated[0].score == 1.0
    removed = clean(text, config=CleanConfig(isolated="remove"))
    assert len(removed.text) < len(text)


PASTED_AT_PARAGRAPH_END = [
    # try6 k5_short_copy_after_own_para: a whole paragraph pasted again at the end of
    # another (its original is no paragraph's tail)
    (
        "Glen Rosa to enter service in June\n\n"
        "Ferry operator CalMac has confirmed that the MV Glen Rosa will enter service on the"
        " Arran route in June, six years later than planned.\n\n"
        "The ship was ordered in 2015 from the Ferguson yard in Port Glasgow. Design changes,"
        " the yard's collapse into administration and repeated problems with the dual-fuel"
        " engines pushed the cost to more than four times the original contract.\n\n"
        "Islanders have welcomed the news but say they will believe it when they see the ship"
        ' in Brodick. "We have been told a date before," said the chair of the Arran Ferry'
        " Committee.",
        " The ship was ordered in 2015 from the Ferguson yard in Port Glasgow. Design changes,"
        " the yard's collapse into administration and repeated problems with the dual-fuel"
        " engines pushed the cost to more than four times the original contract.",
        "\n\nThe Scottish Government said the vessel's sea trials had been completed"
        " successfully and that crew training was under way.\n",
    ),
    # try6 k5_indonesian_midline_copy
    (
        "Berita Kota\n\n"
        "Pemerintah kota Bandung akan menutup Jalan Braga untuk kendaraan bermotor setiap"
        " akhir pekan mulai bulan depan. Kebijakan ini bertujuan mengurangi kemacetan dan"
        " memberi ruang bagi pejalan kaki serta pedagang kecil.\n\n"
        "Warga menyambut baik rencana tersebut.",
        " Pemerintah kota Bandung akan menutup Jalan Braga untuk kendaraan bermotor setiap"
        " akhir pekan mulai bulan depan. Kebijakan ini bertujuan mengurangi kemacetan dan"
        " memberi ruang bagi pejalan kaki serta pedagang kecil.",
        "\n\nUji coba dimulai tanggal 5 April.\n",
    ),
    # our own: the closing sentences of one paragraph pasted at the end of a longer one
    # (another shape than the records': three sentences of its own before the paste)
    (
        "Town news\n\n"
        "The library reopens on Monday after the repairs. The reading room has new lamps and"
        " chairs. Opening hours are from nine to six on weekdays and from ten to four on"
        " Saturdays.\n\n"
        "The council met on Tuesday. It approved the budget for the pool. Work starts in May"
        " and should take a year.",
        " The reading room has new lamps and chairs. Opening hours are from nine to six on"
        " weekdays and from ten to four on Saturdays.",
        "\n",
    ),
    # our own: an edited copy (a typo) is a paste, whatever the shape: a template
    # renders its sentences the same
    (
        "Weekend fixtures\n\n"
        "Saturday: Harbour Rovers v Penzance AFC at the Mennaye Field. Kick-off is at 3pm and"
        " the gates open at 1.30pm. Tickets cost £12 for adults and £5 for under-16s, and can"
        " be bought at the gate or online.\n\n"
        "Sunday: Harbour Rovers Women v Falmouth Town Ladies at the Mennaye Field.",
        " Kick-off is at 3pm and the gtaes open at 1.30pm. Tickets cost £12 for adults and £5"
        " for under-16s, and can be bought at the gate or online.",
        "\n",
    ),
]


@pytest.mark.parametrize(("head", "copy", "tail"), PASTED_AT_PARAGRAPH_END)
def test_a_passage_pasted_at_a_paragraph_end_still_goes(head: str, copy: str, tail: str) -> None:
    result = clean(head + copy + tail)
    assert result.text == head + tail
    [removal] = result.removals
    assert removal.kind == "span"


# -- A2: a mail quoted whole under an attribution or a header, without ``>`` -------------

LENA = (
    "Hi Daniel,\n\n"
    "Could you send me the signed copy of the lease for unit 14 by Friday? The bank needs it"
    " before they release the deposit guarantee, and their deadline is the 20th.\n\n"
    "Also, the meter reading on the handover form says 40213 but the photo shows 40218."
    " Which one is right?\n\n"
    "Thanks,\nLena\n"
)
FIRST = (
    "From: Lena Vogt <lena@example.de>\nDate: Tue, 10 Mar 2026 16:12\nSubject: Lease unit 14\n\n"
)
REPLY = (
    "From: Daniel Brandt <d@example.de>\nDate: Wed, 11 Mar 2026 08:47\n"
    "Subject: Re: Lease unit 14\n\nThe photo is right: 40218.\n\n"
)

QUOTED_MAILS = [
    # try6 k1_mail_quote_under_attribution
    FIRST
    + LENA
    + "\n"
    + REPLY
    + "On Tue, 10 Mar 2026 at 16:12, Lena Vogt <lena@example.de> wrote:\n"
    + LENA,
    # try6 k1_mail_quote_blank_after_attribution
    FIRST
    + LENA
    + "\n"
    + REPLY
    + "On Tue, 10 Mar 2026 at 16:12, Lena Vogt <lena@example.de> wrote:\n\n"
    + LENA,
    # try6 k1_mail_forwarded_message
    FIRST
    + LENA
    + "\n"
    + REPLY
    + "---------- Forwarded message ---------\nFrom: Lena Vogt <lena@example.de>\n"
    "Date: Tue, 10 Mar 2026 at 16:12\nSubject: Lease unit 14\nTo: Daniel Brandt <d@example.de>\n\n"
    + LENA,
    # try6 k1_outlook_quoted_twice_in_archive (shape)
    FIRST + LENA + "\n" + REPLY + "-----Original Message-----\nFrom: Lena Vogt <lena@example.de>\n"
    "Sent: Tuesday, March 10, 2026 4:12 PM\nTo: Daniel Brandt <d@example.de>\n"
    "Subject: Lease unit 14\n\n" + LENA,
    # our own: German, "Am ... schrieb ...:" and a forward with German headers
    "Von: Jonas Weber <jonas@example.de>\nBetreff: Heizung\n\n"
    "Hallo Frau Klein,\n\nin der Wohnung 3 fällt seit Montag die Heizung immer wieder aus. Der"
    " Techniker war am Dienstag da, hat aber kein Ersatzteil mitgebracht.\n\n"
    "Könnten Sie bitte einen neuen Termin vor dem Wochenende vereinbaren?\n\nGruß\nJonas\n\n"
    "Von: Petra Klein <klein@example.de>\nBetreff: AW: Heizung\n\nDer Termin ist am Freitag um 9 Uhr.\n\n"
    "Am 10.03.2026 um 16:12 schrieb Jonas Weber <jonas@example.de>:\n"
    "Hallo Frau Klein,\n\nin der Wohnung 3 fällt seit Montag die Heizung immer wieder aus. Der"
    " Techniker war am Dienstag da, hat aber kein Ersatzteil mitgebracht.\n\n"
    "Könnten Sie bitte einen neuen Termin vor dem Wochenende vereinbaren?\n\nGruß\nJonas\n",
    "Von: Jonas Weber <jonas@example.de>\nBetreff: Heizung\n\n"
    "Hallo Frau Klein,\n\nin der Wohnung 3 fällt seit Montag die Heizung immer wieder aus. Der"
    " Techniker war am Dienstag da, hat aber kein Ersatzteil mitgebracht.\n\n"
    "Könnten Sie bitte einen neuen Termin vor dem Wochenende vereinbaren?\n\nGruß\nJonas\n\n"
    "Von: Petra Klein <klein@example.de>\nBetreff: WG: Heizung\n\nZur Info an die Hausverwaltung.\n\n"
    "-------- Weitergeleitete Nachricht --------\nBetreff: Heizung\nDatum: 10.03.2026 16:12\n"
    "Von: Jonas Weber <jonas@example.de>\nAn: Petra Klein <klein@example.de>\n\n"
    "Hallo Frau Klein,\n\nin der Wohnung 3 fällt seit Montag die Heizung immer wieder aus. Der"
    " Techniker war am Dienstag da, hat aber kein Ersatzteil mitgebracht.\n\n"
    "Könnten Sie bitte einen neuen Termin vor dem Wochenende vereinbaren?\n\nGruß\nJonas\n",
    # our own: French attribution, an Outlook reply under a line of underscores
    "De : Claire Martin <claire@example.fr>\nObjet : Réunion\n\n"
    "Bonjour à tous,\n\nla réunion de chantier est déplacée au jeudi 12 mars à 10 heures, dans la"
    " salle du rez-de-chaussée. Merci d'apporter les plans mis à jour et le planning des"
    " livraisons.\n\nClaire\n\n"
    "De : Marc Petit <marc@example.fr>\nObjet : RE: Réunion\n\nJe serai là.\n\n"
    "Le 10 mars 2026 à 16:12, Claire Martin <claire@example.fr> a écrit :\n\n"
    "Bonjour à tous,\n\nla réunion de chantier est déplacée au jeudi 12 mars à 10 heures, dans la"
    " salle du rez-de-chaussée. Merci d'apporter les plans mis à jour et le planning des"
    " livraisons.\n\nClaire\n",
    FIRST
    + LENA
    + "\n"
    + REPLY
    + "________________________________\nFrom: Lena Vogt <lena@example.de>\n"
    "Sent: Tuesday, March 10, 2026 4:12 PM\nTo: Daniel Brandt <d@example.de>\n"
    "Subject: Lease unit 14\n\n" + LENA,
]


@pytest.mark.parametrize("text", QUOTED_MAILS)
def test_a_mail_quoted_whole_under_its_opener_is_kept(text: str) -> None:
    result = clean(text)
    assert result.text == text
    assert result.removals == ()
    assert result.isolated  # found and reported


def test_a_message_pasted_again_without_an_opener_still_goes() -> None:
    # The same archive with the reply's body pasted twice (no attribution, no header
    # between): a copy. A forum's "user42 wrote:" (no date, time or address) is a
    # post header, not a mail quotation's opener: a paste under it still goes.
    body = (
        "Could you send me the signed copy of the lease for unit 14 by Friday? The bank needs it"
        " before they release the deposit guarantee, and their deadline is the 20th.\n\n"
        "Also, the meter reading on the handover form says 40213 but the photo shows 40218."
        " Which one is right?\n\n"
        "The keys for the cellar and the bicycle room are in the letterbox; please leave the"
        " spare set with the caretaker when you move in.\n"
    )
    for opener in ("", "user42 wrote:\n"):
        text = (
            FIRST + "Hi Daniel,\n\n" + body + "\n" + REPLY + opener + "Here it is again.\n\n" + body
        )
        result = clean(text)
        assert result.text == text[: -len(body) - 1], opener
        assert [r.kind for r in result.removals] == ["repeated-run"]


# -- A3: the sender's signature and disclaimer closing two messages of one thread ---------


@pytest.mark.parametrize(
    "signature",
    [
        # try6 k1_mail_signature_disclaimer
        "--\nDr. Hanna Eriksson\nSenior Hydrologist, Nordic Flood Forecasting Centre\n"
        "+46 8 555 0192\n\nThis e-mail and any attachments are confidential and intended solely"
        " for the addressee. If you have received it in error, please notify the sender and"
        " delete it. Any views expressed are those of the author and do not necessarily"
        " represent those of the Centre.\n",
        # our own: "-- " (with its space), Spanish disclaimer
        "-- \nMaría López\nJefa de compras, Distribuciones del Norte S.L.\nTel. 943 555 210\n\n"
        "Este mensaje y sus anexos son confidenciales y están dirigidos exclusivamente a su"
        " destinatario. Si lo ha recibido por error, le rogamos que lo comunique al remitente y"
        " lo elimine de inmediato.\n",
    ],
)
def test_a_signature_closing_two_messages_is_kept(signature: str) -> None:
    text = (
        "From: sender@example.org\nDate: Thu, 5 Mar 2026 10:02\nSubject: Gauge 2217\n\n"
        "Gauge 2217 has not reported since 06:00. A technician is on the way.\n\n"
        + signature
        + "\nFrom: sender@example.org\nDate: Thu, 5 Mar 2026 14:40\nSubject: Re: Gauge 2217\n\n"
        "The gauge is back online. The battery had frozen and has been replaced.\n\n" + signature
    )
    result = clean(text)
    # (The delimiter "-- " keeps its space: RFC 3676; session 8, try8 D1.)
    assert result.text == text
    assert result.removals == ()
    assert len(result.isolated) == 1


# -- D6: a config file's section pasted again, header and all -----------------------------

CACHE = "[cache]\nbackend = redis\nurl = redis://cache.internal:6379/0\nttl = 300\n"


@pytest.mark.parametrize(
    ("head", "copy"),
    [
        # try6 k5_ini_section_pasted_at_end
        (
            "[database]\nhost = db.internal\nport = 5432\nname = tides\n\n"
            + CACHE
            + "\n[logging]\nlevel = info\nfile = /var/log/tidewatch.log\n",
            "\n" + CACHE,
        ),
        # our own: the same without blank lines (one block a line)
        (
            "[database]\nhost = db.internal\nport = 5432\n"
            + CACHE
            + "[logging]\nlevel = info\nfile = /var/log/tidewatch.log\n",
            CACHE,
        ),
        # our own: a systemd unit, a section pasted again in the middle
        (
            "[Unit]\nDescription=Tide gauge poller\nAfter=network-online.target\n\n"
            "[Service]\nExecStart=/usr/bin/tidepoll --interval 60\nRestart=on-failure\nUser=tides\n\n",
            "[Service]\nExecStart=/usr/bin/tidepoll --interval 60\nRestart=on-failure\nUser=tides\n\n",
        ),
    ],
)
def test_a_config_section_pasted_again_goes(head: str, copy: str) -> None:
    tail = (
        ""
        if copy.startswith("\n") or head.endswith("tidewatch.log\n")
        else "[Install]\nWantedBy=multi-user.target\n"
    )
    result = clean(head + copy + tail)
    assert result.text == head + tail
    assert len(result.removals) == 1


def test_repeated_toml_tables_and_lyrics_labels_are_kept() -> None:
    # "[[array]]" tables repeat by design; a "[Chorus]" label has no key lines.
    poll = '[[bin]]\nname = "poll"\npath = "src/poll.rs"\ntest = false\nbench = false\n'
    toml = f'[package]\nname = "tides"\n\n{poll}\n[[bin]]\nname = "gauge"\npath = "src/gauge.rs"\n\n{poll}'
    lyrics = (
        "[Verse 1]\nI walked the road from town to town\nwith a borrowed coat and a hat of brown\n\n"
        "[Chorus]\nHold the garden, hold the light\nwe will be dancing through the night\n"
        "hold the river, hold the sea\nyou will always come back to me\n\n"
        "[Verse 2]\nThe lanterns glow along the quay\nthe boats come home across the bay\n\n"
        "[Chorus]\nHold the garden, hold the light\nwe will be dancing through the night\n"
        "hold the river, hold the sea\nyou will always come back to me\n"
    )
    for text in (toml, lyrics):
        result = clean(text)
        assert result.text == text and result.removals == ()


# -- D4: an article pasted again without the captions that interrupt its original --------

SEVERN = [
    "Flooding in the Severn valley has forced 12 families from their homes in Bewdley, where"
    " the river reached its highest level since 2020.",
    "The Environment Agency put up temporary barriers along Beales Corner on Monday night, but"
    " water came over them shortly after midnight.",
    "Residents were taken to a rest centre at the town's leisure centre, where volunteers"
    " served hot food through the night.",
    "The agency said river levels were expected to peak on Wednesday afternoon and to fall"
    " slowly over the weekend.",
    "Drivers are asked not to drive through flood water, as just 30 cm of moving water is"
    " enough to float a car.",
]
LAGOS = [
    "La Municipalidad de Lagos abrirá el nuevo mercado de abastos el primer lunes de junio,"
    " con cuarenta puestos de productores de la comarca.",
    "El edificio ocupa la antigua estación de autobuses y costó cuatro millones de euros.",
    "Los comerciantes del mercado viejo tendrán prioridad para alquilar un puesto durante los"
    " primeros seis meses.",
    "El horario será de ocho de la mañana a dos de la tarde, de lunes a sábado.",
]


@pytest.mark.parametrize(
    ("title", "paras", "captions", "label"),
    [
        # try6 k5_body_again_without_captions
        (
            "Severn flooding: families leave homes",
            SEVERN,
            {
                1: "Photo: The river Severn at Bewdley on Tuesday morning. (Picture: Jane Moss)",
                3: "Photo: Volunteers at the rest centre. (Picture: Jane Moss)",
            },
            "Print version",
        ),
        # our own: Spanish, an ad line and a caption between the paragraphs
        (
            "Nuevo mercado en Lagos",
            LAGOS,
            {
                1: "PUBLICIDAD",
                2: "Foto: La fachada del nuevo mercado. (Foto: Ana Ruiz)",
            },
            "Versión para imprimir",
        ),
    ],
)
def test_an_article_pasted_again_without_its_captions_goes(
    title: str, paras: list[str], captions: dict[int, str], label: str
) -> None:
    original = []
    for i, p in enumerate(paras):
        if i in captions:
            original.append(captions[i])
        original.append(p)
    head = "\n\n".join([title, *original, label]) + "\n"
    copy = "\n" + "\n\n".join(paras) + "\n"
    result = clean(head + copy)
    assert result.text == head
    assert result.removals


def test_paragraphs_found_again_apart_are_kept() -> None:
    # The control: the same paragraphs found again one by one, each between other text
    # of the later part, are not one copy (under min_copy each: structure).
    text = (
        "Severn flooding: families leave homes\n\n"
        + "\n\nPhoto: The river at Bewdley.\n\n".join(SEVERN[:3])
        + "\n\nLive updates\n\n"
        + SEVERN[0]
        + "\n\n10:15 The rest centre is full.\n\n"
        + SEVERN[1]
        + "\n\n10:40 Barriers are being raised.\n\n"
        + SEVERN[2]
        + "\n"
    )
    result = clean(text)
    assert result.text == text and result.removals == ()


# -- C3: a teaser that repeats an article's first sentences, cut off with an ellipsis ------


@pytest.mark.parametrize(
    ("article", "teaser"),
    [
        # try6 k4_most_read_teaser_truncated
        (
            "Glen Rosa to enter service in June\n\n"
            "Ferry operator CalMac has confirmed that the MV Glen Rosa will enter service on the"
            " Arran route in June, six years later than planned.\n\n"
            "The ship was ordered in 2015 from the Ferguson yard in Port Glasgow. Design"
            " changes, the yard's collapse into administration and repeated problems with the"
            " dual-fuel engines pushed the cost to more than four times the original contract.\n\n"
            "The Scottish Government said the vessel's sea trials had been completed"
            " successfully.\n\n",
            "Most read\n\nGlen Rosa to enter service in June\n"
            "Ferry operator CalMac has confirmed that the MV Glen Rosa will enter service on the"
            " Arran route in June, six years later than planned. The ship was ordered in 2015"
            " from the Ferguson yard in Port Glasgow. Design changes, the…\n\n"
            "Storm warning for the Western Isles\nThe Met Office has issued an amber warning.\n",
        ),
        # our own: French, cut inside a word, with three dots
        (
            "Le pont de Nantes rouvre lundi\n\n"
            "Le pont Anne-de-Bretagne rouvrira à la circulation lundi matin après huit mois de"
            " travaux. La ville a remplacé les joints de dilatation et refait la chaussée sur"
            " toute sa longueur. Les cyclistes disposeront d'une piste séparée dans les deux"
            " sens.\n\n",
            "À lire aussi\n\n"
            "Le pont Anne-de-Bretagne rouvrira à la circulation lundi matin après huit mois de"
            " travaux. La ville a remplacé les joints de dilatation et refait la chaussée sur"
            " toute sa longueur. Les cyclistes disposeront d'une pis...\n",
        ),
    ],
)
def test_a_truncated_teaser_is_kept_whole(article: str, teaser: str) -> None:
    text = article + teaser
    result = clean(text)
    assert result.text == text
    assert result.removals == ()


# -- A4: --blocks sentence: the record is the line that holds the copy ---------------------


@pytest.mark.parametrize(
    "text",
    [
        # try6 k1_nws_forecast_days
        "Area Forecast for Coastal Hancock County\nIssued 3:42 PM EST Tuesday Mar 10 2026\n\n"
        ".TONIGHT...Mostly cloudy. Lows around 28. Northwest winds 10 to 15 mph with gusts up to"
        " 25 mph.\n"
        ".WEDNESDAY...Mostly sunny. Highs in the lower 40s. Northwest winds 10 to 15 mph with"
        " gusts up to 25 mph.\n"
        ".WEDNESDAY NIGHT...Clear. Lows around 24. Light and variable winds.\n"
        ".THURSDAY...Mostly sunny. Highs in the lower 40s. Northwest winds 10 to 15 mph with"
        " gusts up to 25 mph.\n"
        ".FRIDAY...Rain likely. Highs in the upper 40s.\n",
        # our own: a shipping timetable, one sailing a line
        "Summer sailings\n"
        "Monday: departs Oban 07:30, arrives Craignure 08:16. Cars must check in 30 minutes"
        " before departure, foot passengers 10 minutes before. Bookings close at 18:00 the day"
        " before.\n"
        "Tuesday: departs Oban 09:55, arrives Craignure 10:41. Cars must check in 30 minutes"
        " before departure, foot passengers 10 minutes before. Bookings close at 18:00 the day"
        " before.\n"
        "Wednesday: no sailing.\n",
    ],
)
def test_sentence_blocks_keep_records_that_end_alike(text: str) -> None:
    result = clean(text, config=CleanConfig(blocks="sentence"))
    assert result.text == text
    assert result.removals == ()


def test_two_config_files_one_after_the_other_keep_their_sections() -> None:
    # try6 n12_systemd_units: two unit files, each with its own [Unit] and [Install]:
    # the second [Install] is the second file's own (the first [Unit] found again,
    # with other keys, says a new file started).
    text = (
        "# /etc/systemd/system/tide-fetch.service\n[Unit]\nDescription=Fetch tide tables\n"
        "After=network-online.target\n\n[Service]\nType=oneshot\nUser=tide\n"
        "ExecStart=/usr/local/bin/tide-fetch --all\n\n[Install]\nWantedBy=multi-user.target\n\n"
        "# /etc/systemd/system/tide-web.service\n[Unit]\nDescription=Tide web front end\n"
        "After=network-online.target\n\n[Service]\nType=simple\nUser=tide\n"
        "ExecStart=/usr/local/bin/tide-web --port 8080\n\n[Install]\nWantedBy=multi-user.target\n"
    )
    result = clean(text)
    assert result.text == text and result.removals == ()
