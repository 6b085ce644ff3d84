"""Demo follow-up actions: what came out of the Bontang Rakor and the NTB ngopi bareng.

Each action is built through the same model methods as in real use (so its history is real), then
its timestamps are moved back in time, so the dashboard's progress-over-time chart has a past.
Dates are relative to the day the demo is loaded: some actions are always overdue.
"""
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select, update

from app.actions import service
from app.actions.models import Action, ActionHistory, ChecklistItem, Priority, SourceKind, Status
from app.extensions import db

# Meetings are another domain; until it links its records, these ids name the two demo meetings.
BONTANG_RAKOR = (1, "Rakor Program Wisata Industri (Pentahelix)")
BONTANG_RDP = (2, "RDP Komisi Gabungan DPRD Kota Bontang")
NTB_NGOPI = (3, "Ngopi bareng Disperin NTB dan KOIN")

S = Status


def _when(days_ago: int) -> datetime:
    return datetime.combine(date.today() - timedelta(days=days_ago), time(2, 0), tzinfo=timezone.utc)


def _due(days: int) -> date:
    return date.today() + timedelta(days=days)


def _max_history_id() -> int:
    db.session.flush()
    return db.session.scalar(select(func.coalesce(func.max(ActionHistory.id), 0)))


def _backdate_since(before: int, days_ago: int) -> None:
    """Date every history row written since `before` (the action's and its parents') `days_ago` back."""
    db.session.flush()
    db.session.execute(update(ActionHistory).where(ActionHistory.id > before).values(at=_when(days_ago)))


def _at(action: Action, days_ago: int, who, change) -> None:
    before = _max_history_id()
    change(action, who)
    _backdate_since(before, days_ago)
    action.updated_at = _when(days_ago)
    if action.status == S.SELESAI and action.completed_at is not None:
        action.completed_at = _when(days_ago)


def _action(programme, by, created_days_ago: int, meeting=None, decision: str = "", steps=(), checklist=(), **fields):
    if meeting:
        fields.update(meeting_id=meeting[0], meeting_label=meeting[1],
                      source_kind=SourceKind.DECISION if decision else SourceKind.MEETING,
                      source_label=decision or meeting[1])
    before = _max_history_id()
    action = service._new_action(programme, by, **fields)
    _backdate_since(before, created_days_ago)
    action.created_at = action.updated_at = _when(created_days_ago)
    for days_ago, who, change in steps:
        _at(action, days_ago, who, change)
    for position, (text, done) in enumerate(checklist, start=1):
        db.session.add(ChecklistItem(action_id=action.id, text=text, done=done, position=position))
    return action


def status(new, note=""):
    return lambda action, who: action.set_status(new, by=who, note=note)


def progress(value, note=""):
    return lambda action, who: action.set_progress(value, by=who, note=note)


def due(days, note=""):
    return lambda action, who: action.set_due_date(_due(days), by=who, note=note)


def load(programmes: dict, users: dict) -> list[Action]:
    """`programmes` by slug, `users` by email. Returns the actions made (not committed)."""
    bontang = programmes["wisata-kota-industri-bontang"]
    ntb = programmes["disperin-ntb-koin"]
    u = {email.split("@")[0]: user for email, user in users.items()}
    ilham, rahmat, sri, fajar, dewi, andi, yudi, putri = (
        u["komunitas"], u["pemerintah"], u["bisnis"], u["akademisi"], u["media"], u["dprd"], u["disnaker"], u["pupukkaltim"])
    nuryanti, lalu, baiq, made = u["disperin"], u["koin"], u["ekspor"], u["nusramedia"]
    made_actions = []

    def add(*args, **kwargs):
        made_actions.append(_action(*args, **kwargs))
        return made_actions[-1]

    # -- Bontang: Rakor Program Wisata Industri ---------------------------------------------
    add(bontang, ilham, 60, meeting=BONTANG_RAKOR,
        decision="Kesepakatan: nama program menjadi “Program Wisata Kota Industri”",
        title="Usulkan nama “Program Wisata Kota Industri” ke DPP MASATA",
        description="Forum Rakor menyepakati penambahan kata **“kota”** (usulan konsultan Badak LNG). "
                    "DPC MASATA Kota Bontang menyampaikan perubahan nama secara resmi ke DPP MASATA.",
        assignee=ilham, due_date=_due(-40), priority=Priority.HIGH, labels=["branding", "MASATA"],
        steps=[(55, ilham, status(S.DIKERJAKAN)), (50, ilham, progress(50, "Surat resmi sudah dikirim ke DPP")),
               (42, ilham, status(S.SELESAI, "DPP MASATA menyetujui nama baru secara nasional"))])
    add(bontang, ilham, 58, meeting=BONTANG_RAKOR,
                  decision="Disnaker memfasilitasi sosialisasi di Job Fair 2025",
                  title="Sosialisasi Program Wisata Kota Industri di Job Fair 2025",
                  description="Disnaker Kota Bontang menyediakan ruang di **Job Fair 2025** agar MASATA "
                              "mensosialisasikan program dan menghubungkannya dengan edukasi dan pengembangan SDM.",
                  assignee=yudi, due_date=_due(12), priority=Priority.HIGH, labels=["SDM", "Job Fair"],
                  steps=[(40, yudi, status(S.DIKERJAKAN)), (20, yudi, progress(40)), (6, yudi, progress(60, "Booth sudah dipesan"))],
                  checklist=[("Pesan booth MASATA di Job Fair", True), ("Siapkan materi sosialisasi", True),
                             ("Undang perusahaan industri untuk sesi SDM", False), ("Publikasi di media lokal", False)])
    regulation = add(bontang, ilham, 57, meeting=BONTANG_RAKOR,
                     decision="Perlu produk regulasi (Perwali/Perda) sebagai acuan program",
                     title="Siapkan usulan regulasi (Perwali/Perda) Program Wisata Kota Industri",
                     description="Regulasi menjadi acuan **perencanaan, pelaksanaan, pengawasan, pelibatan unsur "
                                 "Pentahelix, payung hukum** dan penganggaran bila dapat tercantum dalam RPJMD/RPJPD.",
                     assignee=andi, due_date=_due(45), priority=Priority.URGENT, labels=["regulasi"],
                     steps=[(50, andi, status(S.DIKERJAKAN))])
    naskah = add(bontang, andi, 50, meeting=BONTANG_RAKOR, title="Susun Naskah Akademik usulan Perwali",
        assignee=fajar, due_date=_due(20), labels=["regulasi", "kajian"], parent=regulation, weight=3,
        steps=[(45, fajar, status(S.DIKERJAKAN)), (30, fajar, progress(30)), (10, fajar, progress(55, "Bab I–III selesai"))],
        checklist=[("Latar belakang dan landasan filosofis", True), ("Kajian yuridis", True), ("Sasaran dan ruang lingkup", False)])
    add(bontang, andi, 50, meeting=BONTANG_RDP, title="Kajian payung hukum dan penganggaran dalam RPJMD",
        assignee=rahmat, due_date=_due(-8), labels=["regulasi", "anggaran"], parent=regulation, weight=2,
        steps=[(40, rahmat, status(S.DIKERJAKAN)), (25, rahmat, progress(20)),
               (9, rahmat, status(S.TERHAMBAT, "Menunggu jadwal pembahasan perubahan RPJMD dengan Bappeda"))])
    add(bontang, andi, 49, meeting=BONTANG_RDP, title="Konsultasi publik draf Perwali dengan unsur Pentahelix",
        assignee=ilham, due_date=_due(40), labels=["regulasi"], parent=regulation, weight=1, blocked_by=[naskah])
    add(bontang, sri, 45, meeting=BONTANG_RAKOR, title="Paket kunjungan edukasi industri ke Badak LNG",
        description="Rancang paket kunjungan edukatif (keselamatan kerja, proses LNG) untuk pelajar dan mahasiswa.",
        assignee=sri, due_date=_due(-5), labels=["edukasi", "paket wisata"],
        steps=[(30, sri, status(S.DIKERJAKAN)), (15, sri, progress(30)), (12, rahmat, due(-5, "Disesuaikan jadwal shutdown kilang"))])
    add(bontang, ilham, 44, meeting=BONTANG_RAKOR, title="Liputan Rakor dan profil program di Bontang Post",
        assignee=dewi, due_date=_due(-35), labels=["media"],
        steps=[(42, dewi, status(S.DIKERJAKAN)), (38, dewi, status(S.SELESAI, "Terbit di edisi cetak dan daring"))])
    add(bontang, ilham, 40, meeting=BONTANG_RAKOR, title="Jadwalkan kunjungan ke Pupuk Kaltim",
        assignee=putri, due_date=_due(18), labels=["paket wisata"])
    add(bontang, ilham, 38, meeting=BONTANG_RAKOR, title="Ujicoba paket wisata industri hilir CPO",
        assignee=ilham, due_date=_due(-10), labels=["paket wisata"],
        steps=[(30, ilham, status(S.DIBATALKAN, "Digabung dengan paket kunjungan Badak LNG"))])
    add(bontang, ilham, 56, meeting=BONTANG_RDP, title="Rekap hasil roadshow ke semua unsur Pentahelix",
        assignee=ilham, due_date=_due(-3), labels=["MASATA"],
        steps=[(50, ilham, status(S.DIKERJAKAN)), (35, ilham, status(S.SELESAI)),
               (20, andi, status(S.DIKERJAKAN, "DPRD meminta tambahan data kontribusi tiap unsur")),
               (14, ilham, progress(80))])
    add(bontang, rahmat, 5, title="Usulkan Program Wisata Kota Industri masuk dokumen RPJMD 2025–2029",
        assignee=None, due_date=_due(60), labels=["anggaran", "regulasi"], priority=Priority.HIGH)

    # -- NTB: ngopi bareng Disperin NTB dan KOIN ---------------------------------------------------
    add(ntb, nuryanti, 52, meeting=NTB_NGOPI, decision="Sepakat menghidupkan kembali Meninting Bike Park",
        title="Hidupkan kembali Meninting Bike Park",
        description="Kembangkan Meninting Bike Park untuk **memberdayakan masyarakat sekitar**.",
        assignee=nuryanti, due_date=_due(-12), priority=Priority.HIGH, labels=["destinasi"],
        steps=[(45, nuryanti, status(S.DIKERJAKAN)), (30, nuryanti, progress(25)),
               (16, nuryanti, status(S.TERHAMBAT, "Menunggu kejelasan status lahan dari Pemprov NTB"))])
    add(ntb, nuryanti, 52, meeting=NTB_NGOPI, decision="Ruang kolaborasi komunitas industri dengan sekolah (eduwisata)",
        title="Program eduwisata bersama sekolah di sekitar sirkuit",
        assignee=lalu, due_date=_due(30), labels=["eduwisata", "pendidikan"],
        steps=[(40, lalu, status(S.DIKERJAKAN)), (12, lalu, progress(35))],
        checklist=[("Daftar sekolah mitra", True), ("Rancang kurikulum kunjungan", False), ("Uji coba dengan satu sekolah", False)])
    add(ntb, lalu, 50, meeting=NTB_NGOPI, title="Konten audio visual untuk promosi IKM",
        description="Komunitas film dan Youtuber Lombok Timur membantu branding media IKM.",
        assignee=made, due_date=_due(14), labels=["promosi", "media"])
    add(ntb, lalu, 50, meeting=NTB_NGOPI, title="Daftar IKM siap ekspor untuk pendampingan",
        assignee=baiq, due_date=_due(-20), labels=["ekspor"],
        steps=[(44, baiq, status(S.DIKERJAKAN)), (25, baiq, status(S.SELESAI, "42 IKM terdata"))])
    add(ntb, nuryanti, 48, meeting=NTB_NGOPI, title="Susun target industrialisasi NTB bersama komunitas",
        assignee=lalu, due_date=_due(-2), labels=["target"],
        steps=[(35, lalu, status(S.DIKERJAKAN)), (10, lalu, progress(70))])
    add(ntb, nuryanti, 47, meeting=NTB_NGOPI, title="Kalender bersama kegiatan komunitas KOIN",
        assignee=lalu, due_date=_due(-30), labels=["komunitas"],
        steps=[(20, nuryanti, status(S.DIBATALKAN, "Diganti grup koordinasi bulanan"))])
    # Parents follow their sub-actions once, as of yesterday (the service does this on every change).
    for parent_id in dict.fromkeys(a.parent_id for a in made_actions if a.parent_id):
        before = _max_history_id()
        service.rollup_from(parent_id, None)
        _backdate_since(before, 1)
    db.session.flush()
    return made_actions
