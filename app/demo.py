"""Demo data: the two partnerships of shared/context, with one demo user per Pentahelix element.

Later domains (drafts, meetings, actions) add their part through `load()`'s hooks.
"""
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.organisations.models import Organisation
from app.pentahelix import Element
from app.programmes.models import Programme, Role, Visibility

E = Element

ORGANISATIONS = [
    ("Pemerintah Kota Bontang", "Pemkot Bontang", E.PEMERINTAH, "Pemerintah daerah Kota Bontang, Kalimantan Timur."),
    ("DPRD Kota Bontang", None, E.PEMERINTAH, "Dewan Perwakilan Rakyat Daerah Kota Bontang."),
    ("Dinas Ketenagakerjaan Kota Bontang", "Disnaker Bontang", E.PEMERINTAH, "Penyelenggara Job Fair Kota Bontang."),
    ("PT Badak NGL", "Badak LNG", E.BISNIS, "Kilang gas alam cair di Bontang."),
    ("PT Pupuk Kalimantan Timur", "Pupuk Kaltim", E.BISNIS, "Produsen pupuk di Bontang."),
    ("DPC MASATA Kota Bontang", "MASATA Bontang", E.KOMUNITAS, "Masyarakat Sadar Wisata, penggagas Program Wisata Industri."),
    ("DPP MASATA", None, E.KOMUNITAS, "Dewan Pimpinan Pusat Masyarakat Sadar Wisata."),
    ("Universitas Trunajaya Bontang", "Unijaya", E.AKADEMISI, "Perguruan tinggi di Kota Bontang."),
    ("Bontang Post", None, E.MEDIA, "Media lokal Kota Bontang."),
    ("Dinas Perindustrian Provinsi NTB", "Disperin NTB", E.PEMERINTAH, "Dinas Perindustrian Provinsi Nusa Tenggara Barat."),
    ("Komunitas Industri NTB", "KOIN NTB", E.KOMUNITAS, "Wadah komunitas industri di NTB."),
    ("Komunitas Basement", None, E.KOMUNITAS, ""),
    ("Youtuber Lombok Timur", None, E.KOMUNITAS, ""),
    ("Bisa Ekspor Lombok", None, E.BISNIS, "Pelaku usaha ekspor dari Lombok."),
    ("IOT Mataram NTB", None, E.KOMUNITAS, ""),
    ("Cinta Berkain Indonesia", None, E.KOMUNITAS, ""),
    ("Ramekan.id", None, E.BISNIS, ""),
    ("Asosiasi Kopi NTB", None, E.BISNIS, ""),
    ("Lombok Phonegraphy", None, E.KOMUNITAS, ""),
    ("Bengkel Aktor Lombok", None, E.KOMUNITAS, ""),
    ("We Save NTB", None, E.KOMUNITAS, ""),
    ("Cendikia Robotic", None, E.AKADEMISI, "Komunitas pendidikan robotika."),
    ("Besiru", None, E.KOMUNITAS, ""),
    ("Nusramedia", None, E.MEDIA, "Media daring NTB."),
]

# (name, email, organisation, role in Bontang, role in NTB)
PEOPLE = [
    ("Rahmat Hidayat", "pemerintah@demo.sinergi.id", "Pemerintah Kota Bontang", Role.OWNER, Role.VIEWER),
    ("Sri Wahyuni", "bisnis@demo.sinergi.id", "PT Badak NGL", Role.EDITOR, None),
    ("Dr. Fajar Nugroho", "akademisi@demo.sinergi.id", "Universitas Trunajaya Bontang", Role.COMMENTER, Role.COMMENTER),
    ("Muhammad Ilham", "komunitas@demo.sinergi.id", "DPC MASATA Kota Bontang", Role.OWNER, Role.EDITOR),
    ("Dewi Lestari", "media@demo.sinergi.id", "Bontang Post", Role.VIEWER, None),
    ("Andi Saputra", "dprd@demo.sinergi.id", "DPRD Kota Bontang", Role.EDITOR, None),
    ("Yudi Kurniawan", "disnaker@demo.sinergi.id", "Dinas Ketenagakerjaan Kota Bontang", Role.EDITOR, None),
    ("Putri Ayu", "pupukkaltim@demo.sinergi.id", "PT Pupuk Kalimantan Timur", Role.COMMENTER, None),
    ("Nuryanti", "disperin@demo.sinergi.id", "Dinas Perindustrian Provinsi NTB", None, Role.OWNER),
    ("Lalu Ahmad", "koin@demo.sinergi.id", "Komunitas Industri NTB", None, Role.OWNER),
    ("Baiq Nurul", "ekspor@demo.sinergi.id", "Bisa Ekspor Lombok", None, Role.COMMENTER),
    ("Made Arya", "nusramedia@demo.sinergi.id", "Nusramedia", None, Role.VIEWER),
]

BONTANG = {
    "slug": "wisata-kota-industri-bontang",
    "name": "Program Wisata Kota Industri Bontang",
    "visibility": Visibility.PUBLIC,
    "description": (
        "Program yang digagas **DPC MASATA Kota Bontang** untuk mendukung visi *Bontang Kota Industri dan Jasa*, "
        "dan dipilih DPP MASATA sebagai **pilot program Wisata Industri Nasional** (MUNAS II MASATA, Februari 2025).\n\n"
        "Sinergi seluruh unsur Pentahelix:\n\n"
        "- **Pemerintah**: Pemkot Bontang, DPRD Kota Bontang, Disnaker\n"
        "- **Bisnis**: Badak LNG, Pupuk Kaltim, industri hilir CPO\n"
        "- **Akademisi**: perguruan tinggi di Bontang\n"
        "- **Komunitas**: MASATA dan mitra pariwisata\n"
        "- **Media**: media lokal\n\n"
        "Berorientasi pada edukasi dan pengembangan SDM; perlu payung hukum (Perwali/Perda) dan dukungan anggaran."
    ),
}

NTB = {
    "slug": "disperin-ntb-koin",
    "name": "Sinergi Disperin NTB – Komunitas Industri (KOIN)",
    "visibility": Visibility.PRIVATE,
    "description": (
        "Kolaborasi **Dinas Perindustrian Provinsi NTB** dengan **Komunitas Industri (KOIN)** untuk mencapai "
        "target industrialisasi NTB 2024: eduwisata bersama sekolah, promosi IKM, dukungan audio visual, "
        "dan menghidupkan kembali **Meninting Bike Park**."
    ),
}


def is_empty() -> bool:
    return db.session.scalar(select(func.count()).select_from(User)) == 0


def load(password: str) -> dict:
    """Load the demo. Returns what was created so the CLI can print the accounts."""
    orgs = {}
    for name, short, element, description in ORGANISATIONS:
        org = Organisation(name=name, short_name=short, element=element, description=description)
        db.session.add(org)
        orgs[name] = org
    programmes = {}
    for data in (BONTANG, NTB):
        programmes[data["slug"]] = Programme(**data)
        db.session.add(programmes[data["slug"]])
    users = []
    # One hash for the shared demo password: scrypt is deliberately slow.
    hashed = User(password_hash="")
    hashed.set_password(password)
    for name, email, org_name, bontang_role, ntb_role in PEOPLE:
        user = User(name=name, email=email, organisation=orgs[org_name], locale="id", timezone="Asia/Makassar")
        user.password_hash = hashed.password_hash
        db.session.add(user)
        users.append(user)
        for slug, role in ((BONTANG["slug"], bontang_role), (NTB["slug"], ntb_role)):
            if role:
                programmes[slug].add_member(user, role)
    db.session.flush()
    for programme in programmes.values():
        owner = next(m for m in programme.memberships if m.role == Role.OWNER)
        programme.created_by_id = owner.user.id
    from app.meetings import demo as meetings_demo

    meetings_demo.load(programmes, orgs, users)
    from app.actions import demo as actions_demo

    actions_demo.load(programmes, {user.email: user for user in users})
    db.session.commit()
    from app.drafts.demo import load as load_drafts

    load_drafts(programmes[BONTANG["slug"]])
    meetings_demo.link_decisions_to_drafts(programmes[BONTANG["slug"]])
    db.session.commit()
    return {"users": users, "programmes": list(programmes.values())}
