"""Demo meetings from the two real reports (shared/context): Bontang's roadshow, the DPRD's RDP and
the Rakor that renamed the programme, and NTB's ngopi bareng with its communities.

Called by app/demo.py's load() before its one commit; adds to the session, never commits.
"""
import json
from datetime import date, time, timedelta

from sqlalchemy import select

from app.extensions import db
from app.meetings.models import (
    AgendaItem,
    AgendaRevision,
    AgendaTemplate,
    Attendance,
    Decision,
    DecisionKind,
    Meeting,
    MeetingInvitation,
    MeetingKind,
    MeetingStatus,
    MinutesConfirmation,
    MinutesRevision,
    Presence,
    Roadshow,
    Verdict,
)
from app.meetings.service import to_utc
from app.pentahelix import Element
from app.types import utcnow

WITA = "Asia/Makassar"
I, A, W = DecisionKind.INFORMATION, DecisionKind.AGREEMENT, DecisionKind.WORK


def _meeting(programme, kind, title, day, start, end, *, organiser, place, description="", status=MeetingStatus.APPROVED,
             roadshow=None, created_by=None):
    meeting = Meeting(
        programme=programme, kind=kind, title=title, timezone=WITA,
        starts_at=to_utc(day, time(*start), WITA), ends_at=to_utc(day, time(*end), WITA),
        organiser=organiser, place=place, online_url="", description=description, status=status, agenda_version=1,
        roadshow=roadshow, created_by_id=created_by.id if created_by else None,
    )
    if status == MeetingStatus.APPROVED:
        meeting.approved_at = meeting.ends_at + timedelta(days=2)
        meeting.approved_by_id = created_by.id if created_by else None
    db.session.add(meeting)
    db.session.flush()
    return meeting


def _agenda(meeting, author, entries):
    """entries: (title, presenter, minutes planned, minutes text, [(kind, decision, organisation, due)])."""
    items = []
    for position, (title, presenter, planned, minutes, decisions) in enumerate(entries):
        item = AgendaItem(meeting=meeting, position=position, title=title, presenter=presenter, planned_minutes=planned,
                          description="", link_url="", link_label="", confidential=False, version=1,
                          minutes=minutes, minutes_rev=1 if minutes else 0,
                          minutes_by_id=author.id if minutes else None, minutes_at=meeting.ends_at if minutes else None)
        db.session.add(item)
        db.session.flush()
        db.session.add(AgendaRevision(item_id=item.id, number=1, title=title, description="", presenter=presenter,
                                      planned_minutes=planned, link_url="", link_label="", confidential=False,
                                      author_id=author.id))
        if minutes:
            db.session.add(MinutesRevision(item_id=item.id, number=1, text=minutes, author_id=author.id,
                                           created_at=meeting.ends_at))
        for kind, text, org, due in decisions:
            db.session.add(Decision(meeting_id=meeting.id, item_id=item.id, kind=kind, text=text, organisation=org, due_on=due,
                                    created_by_id=author.id))
        items.append(item)
    return items


def _attend(meeting, users=(), guests=(), absent=()):
    for user in users:
        db.session.add(Attendance(meeting_id=meeting.id, user_id=user.id, presence=Presence.PRESENT, contact=""))
    for user in absent:
        db.session.add(Attendance(meeting_id=meeting.id, user_id=user.id, presence=Presence.ABSENT, contact=""))
    for name, org, element, presence, represented_by in guests:
        db.session.add(Attendance(meeting_id=meeting.id, guest_name=name, organisation=org, guest_element=None if org else element,
                                  presence=presence, represented_by=represented_by or "", contact=""))


def _invite_all_elements(meeting):
    for element in Element:
        db.session.add(MeetingInvitation(meeting_id=meeting.id, element=element))


def load(programmes: dict, orgs: dict, users: list) -> dict:
    """Add the demo meetings. `programmes` by slug, `orgs` by name, `users` as created by app/demo.py."""
    by_email = {u.email.split("@")[0]: u for u in users}
    bontang = programmes["wisata-kota-industri-bontang"]
    ntb = programmes["disperin-ntb-koin"]
    masata, pemkot, dprd = orgs["DPC MASATA Kota Bontang"], orgs["Pemerintah Kota Bontang"], orgs["DPRD Kota Bontang"]
    disnaker, badak, pupuk = orgs["Dinas Ketenagakerjaan Kota Bontang"], orgs["PT Badak NGL"], orgs["PT Pupuk Kalimantan Timur"]
    unijaya, dpp, media = orgs["Universitas Trunajaya Bontang"], orgs["DPP MASATA"], orgs["Bontang Post"]
    ilham = by_email["komunitas"]  # DPC MASATA: writes the minutes

    # -- Bontang: the roadshow after the mayor's go-ahead ---------------------------------
    roadshow = Roadshow(programme=bontang, title="Roadshow Program Wisata Industri 2025",
                        description="Tahap demi tahap DPC MASATA Kota Bontang mengunjungi semua unsur Pentahelix "
                                    "untuk membangun persepsi dan perspektif yang sama.")
    db.session.add(roadshow)
    visits = [
        ("Audiensi dengan Walikota dan Wakil Walikota Bontang", date(2025, 3, 4), pemkot, "Rumah Jabatan Walikota Bontang",
         "Menyampaikan hasil MUNAS II MASATA; Walikota meminta roadshow ke DPRD."),
        ("Kunjungan ke PT Badak NGL", date(2025, 4, 8), badak, "Kantor PT Badak NGL", "Wisata edukasi kilang LNG."),
        ("Kunjungan ke PT Pupuk Kaltim", date(2025, 4, 10), pupuk, "Kantor PT Pupuk Kaltim", "Wisata edukasi industri pupuk."),
        ("Kunjungan ke Disnaker Kota Bontang", date(2025, 4, 15), disnaker, "Kantor Disnaker Bontang",
         "Pengembangan SDM dan Job Fair 2025."),
        ("Kunjungan ke Universitas Trunajaya", date(2025, 4, 17), unijaya, "Kampus Unijaya", "Kajian akademik program."),
    ]
    for title, day, host, place, minutes in visits:
        visit = _meeting(bontang, MeetingKind.ROADSHOW, title, day, (10, 0), (11, 30), organiser=masata, place=place,
                         roadshow=roadshow, created_by=ilham)
        _agenda(visit, ilham, [("Paparan Program Wisata Industri", "DPC MASATA", 30, minutes, []),
                               ("Masukan dan dukungan " + host.display_name, host.display_name, 30, "", [])])
        _attend(visit, users=[ilham], guests=[(f"Perwakilan {host.display_name}", host, None, Presence.PRESENT, None)])

    # -- Bontang: the DPRD's hearing (RDP Komisi Gabungan) -----------------------------------
    rdp = _meeting(bontang, MeetingKind.RDP, "RDP Komisi Gabungan: Program Wisata Industri", date(2025, 3, 18), (9, 0), (12, 0),
                   organiser=dprd, place="Ruang Rapat Paripurna DPRD Kota Bontang", created_by=by_email["dprd"],
                   description="Rapat Dengar Pendapat Komisi Gabungan, mengundang semua unsur Pentahelix.")
    _invite_all_elements(rdp)
    _agenda(rdp, by_email["dprd"], [
        ("Paparan Program Wisata Industri oleh DPC MASATA", "Muhammad Ilham (DPC MASATA)", 30,
         "DPC MASATA memaparkan hasil MUNAS II MASATA dan terpilihnya Bontang sebagai pilot program nasional.", []),
        ("Tanggapan Komisi Gabungan dan unsur Pentahelix", "Pimpinan Komisi Gabungan", 60,
         "Semua unsur menyambut baik; konsep perlu dimatangkan bersama agar tidak ada unsur yang dirugikan.",
         [(A, "DPRD mendukung pembahasan Program Wisata Industri.", dprd, None)]),
        ("Tindak lanjut", "Sekretariat DPRD", 20, "",
         [(W, "DPC MASATA melakukan roadshow ke semua unsur Pentahelix untuk mematangkan konsep.", masata, date(2025, 5, 15))]),
    ])
    _attend(rdp, users=[by_email["dprd"], by_email["pemerintah"], ilham, by_email["bisnis"], by_email["akademisi"]],
            guests=[("Wartawan Bontang Post", media, None, Presence.PRESENT, None)])

    # -- Bontang: the Rakor of the report ----------------------------------------------------
    rakor = _meeting(bontang, MeetingKind.RAKOR, "Rapat Koordinasi Program Wisata Industri", date(2025, 5, 20), (9, 0), (12, 30),
                     organiser=masata, place="Aula Kantor Walikota Bontang", created_by=ilham,
                     description="Memadukan konsep bersama semua stakeholder Pentahelix dalam Program Wisata Industri, "
                                 "setelah roadshow dan ujicoba aksi.")
    _invite_all_elements(rakor)
    _agenda(rakor, ilham, [
        ("Paparan konsep program", "DPC MASATA Kota Bontang", 30,
         "Program Wisata Industri berbasis edukasi dan pengembangan SDM, berimplikasi pada pertumbuhan sektor jasa "
         "pariwisata dan nilai tambah ekonomi di sektor lainnya.", [
             (I, "Bontang ditetapkan DPP MASATA sebagai pilot Program Wisata Industri Nasional (MUNAS II, Februari 2025).", None, None),
         ]),
        ("Penambahan kata \"kota\" pada nama program", "Konsultan Badak LNG", 30,
         "Usulan konsultan Badak LNG: dengan kata \"kota\" program lebih membumi ke elemen dan komponen masyarakat, "
         "karena basis utama Kota Bontang adalah industri dan jasa. Forum menyepakati.", [
             (A, "Nama program menjadi \"Program Wisata Kota Industri\".", None, None),
             (W, "DPC MASATA Kota Bontang menyampaikan perubahan nama secara resmi ke DPP MASATA.", masata, date(2025, 6, 30)),
         ]),
        ("Dukungan Disnaker di Job Fair 2025", "Disnaker Kota Bontang", 20,
         "Disnaker siap memfasilitasi sosialisasi Program Wisata Kota Industri melalui MASATA di Job Fair 2025, "
         "dikorelasikan dengan pihak Pentahelix dalam bentuk edukasi dan pengembangan SDM.", [
             (W, "Sosialisasi Program Wisata Kota Industri di Job Fair 2025.", disnaker, date(2025, 8, 15)),
         ]),
        ("Kebutuhan produk regulasi", "Pemerintah Kota Bontang", 30,
         "Perlu produk regulasi sebagai acuan semua stakeholder: perencanaan, pelaksanaan, pengawasan, pelibatan unsur "
         "Pentahelix, payung hukum, dan penganggaran bila dapat tercantum dalam RPJMD/RPJPD Kota Bontang.", [
             (W, "Menyiapkan rancangan Perwali Program Wisata Kota Industri.", pemkot, date(2025, 9, 30)),
         ]),
    ])
    present = [by_email[k] for k in ("komunitas", "pemerintah", "bisnis", "akademisi", "disnaker", "dprd", "pupukkaltim")]
    _attend(rakor, users=present, absent=[by_email["media"]],
            guests=[("Konsultan Badak LNG", badak, None, Presence.PRESENT, None),
                    ("Redaksi Bontang Post", media, None, Presence.REPRESENTED, "Wartawan lepas")])
    for user in present[:5]:
        db.session.add(MinutesConfirmation(meeting_id=rakor.id, user_id=user.id, verdict=Verdict.CONFIRM, note=""))
    db.session.add(AgendaTemplate(programme=bontang, name="Rakor Pentahelix (standar)", created_by_id=ilham.id, items=json.dumps([
        {"title": "Pembukaan", "presenter": "Penyelenggara", "planned_minutes": 10},
        {"title": "Tindak lanjut rapat sebelumnya", "presenter": "Sekretariat", "planned_minutes": 15},
        {"title": "Paparan", "presenter": "", "planned_minutes": 30},
        {"title": "Diskusi dan kesepakatan", "presenter": "", "planned_minutes": 45},
    ])))

    # An upcoming meeting, so the programme page and the calendar feed show something ahead.
    soon = (utcnow() + timedelta(days=7)).date()
    upcoming = _meeting(bontang, MeetingKind.SOSIALISASI, "Sosialisasi Program Wisata Kota Industri di Job Fair 2025",
                        soon, (9, 0), (11, 0), organiser=disnaker, place="Gedung Job Fair Kota Bontang",
                        status=MeetingStatus.PLANNED, created_by=by_email["disnaker"])
    _invite_all_elements(upcoming)
    _agenda(upcoming, by_email["disnaker"], [
        ("Tindak lanjut rapat sebelumnya", "Sekretariat", 15, "", []),
        ("Sosialisasi kepada pencari kerja", "DPC MASATA", 45, "", []),
    ])

    # -- NTB: ngopi bareng Disperin and the industry communities -----------------------------
    nuryanti, koin = by_email["disperin"], by_email["koin"]
    ngopi = _meeting(ntb, MeetingKind.NGOPI, "Ngopi bareng Disperin NTB dan Komunitas Industri (KOIN)", date(2024, 6, 12),
                     (15, 0), (17, 30), organiser=orgs["Dinas Perindustrian Provinsi NTB"], place="Kantor Disperin NTB, Mataram",
                     created_by=nuryanti, status=MeetingStatus.FINISHED,
                     description="Memperkuat sinergi untuk target industrialisasi NTB 2024.")
    db.session.add(MeetingInvitation(meeting_id=ngopi.id, organisation=orgs["Komunitas Industri NTB"]))
    db.session.add(MeetingInvitation(meeting_id=ngopi.id, element=Element.KOMUNITAS))
    _agenda(ngopi, koin, [
        ("Potensi industri NTB dan strategi bersama", "Kadis Perindustrian NTB (Nuryanti)", 30,
         "Langkah awal hingga strategi bersama; kolaborasi dengan seluruh elemen masyarakat.", []),
        ("Eduwisata: komunitas industri dan sekolah", "KOIN", 30,
         "Disperin diharapkan memberi ruang kolaborasi antara komunitas industri dan sekolah; sirkuit sebagai destinasi "
         "multifungsi.", [(A, "Kembangkan eduwisata bersama sekolah di NTB.", None, None)]),
        ("Promosi IKM dan dukungan audio visual", "Komunitas film dan media", 30,
         "IKM membutuhkan mediasi untuk promosi; eduwisata memerlukan dukungan audio visual.",
         [(W, "Komunitas (film, ekspor, budaya) memperkuat branding media IKM.", orgs["Komunitas Industri NTB"], None)]),
        ("Menghidupkan kembali Meninting Bike Park", "Peserta diskusi", 30,
         "Semua sepakat mengembangkan Meninting Bike Park untuk memberdayakan masyarakat sekitar.",
         [(W, "Disperin NTB / Pemprov merealisasikan kembali Meninting Bike Park.", orgs["Dinas Perindustrian Provinsi NTB"],
           date(2024, 12, 31))]),
    ])
    communities = ["Komunitas Basement", "Youtuber Lombok Timur", "IOT Mataram NTB", "Cinta Berkain Indonesia", "Ramekan.id",
                   "Asosiasi Kopi NTB", "Lombok Phonegraphy", "Bengkel Aktor Lombok", "We Save NTB", "Cendikia Robotic", "Besiru"]
    guests = [(f"Perwakilan {name}", orgs[name], None, Presence.PRESENT, None) for name in communities]
    guests += [("Perwakilan Nice", None, Element.KOMUNITAS, Presence.PRESENT, None),
               ("Perwakilan Art Community", None, Element.KOMUNITAS, Presence.PRESENT, None)]
    _attend(ngopi, users=[nuryanti, koin, by_email["ekspor"], by_email["nusramedia"]], guests=guests)
    # actions: the actions demo attaches tindak lanjut to the WORK decisions above (source_kind="decision").
    return {"meetings": [rdp, rakor, ngopi, upcoming]}


def link_decisions_to_drafts(programme) -> None:
    """Once the drafts demo is in: the Rakor's renaming decision is about Pasal 1 of the Raperda
    (where "Wisata Kota Industri" is defined), so a suggested amendment is one step from it."""
    from app.drafts.service import units_for_linking

    pasal_1 = next((node.unit.id for _draft, node in units_for_linking(programme) if node.label == "Pasal 1"), None)
    decision = db.session.scalar(
        select(Decision).join(Meeting, Meeting.id == Decision.meeting_id)
        .where(Meeting.programme_id == programme.id, Decision.text.like("Nama program menjadi%"))
    )
    if pasal_1 is not None and decision is not None:
        decision.unit_id = pasal_1
