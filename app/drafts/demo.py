"""Demo: the Bontang Raperda "Penyelenggaraan Wisata Kota Industri", with history, a named version,
suggestions and answered inputs from several Pentahelix elements. Regulation text is content (Indonesian).

It goes through the importer and the services, so the demo is also a walk through the real code paths.
"""
from sqlalchemy import select

from app.accounts.models import User
from app.comments import service as comments
from app.drafts import importer, service, threads
from app.drafts.models import Disposition, DraftKind, DraftStatus, PublicInput
from app.extensions import db
from app.pentahelix import Element

TITLE = "Penyelenggaraan Wisata Kota Industri"

RAPERDA = """PERATURAN DAERAH KOTA BONTANG
NOMOR … TAHUN …

TENTANG
PENYELENGGARAAN WISATA KOTA INDUSTRI

DENGAN RAHMAT TUHAN YANG MAHA ESA

WALI KOTA BONTANG,

Menimbang : a. bahwa Kota Bontang sebagai kota industri dan jasa memiliki kawasan industri gas alam cair, pupuk, dan industri hilir yang berpotensi dikembangkan sebagai daya tarik wisata edukasi;
b. bahwa penyelenggaraan wisata kota industri memerlukan sinergi pemerintah daerah, dunia usaha, akademisi, komunitas, dan media agar memberi manfaat bagi pengembangan sumber daya manusia dan perekonomian masyarakat;
c. bahwa untuk memberikan payung hukum dan kepastian dalam penyelenggaraan wisata kota industri, termasuk dukungan anggarannya, diperlukan pengaturan dalam peraturan daerah;
d. bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, huruf b, dan huruf c, perlu menetapkan Peraturan Daerah tentang Penyelenggaraan Wisata Kota Industri;
Mengingat : 1. Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;
2. Undang-Undang Nomor 47 Tahun 1999 tentang Pembentukan Kabupaten Nunukan, Kabupaten Malinau, Kabupaten Kutai Barat, Kabupaten Kutai Timur, dan Kota Bontang;
3. Undang-Undang Nomor 10 Tahun 2009 tentang Kepariwisataan;
4. Undang-Undang Nomor 3 Tahun 2014 tentang Perindustrian;
5. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;

Dengan Persetujuan Bersama
DEWAN PERWAKILAN RAKYAT DAERAH KOTA BONTANG
dan
WALI KOTA BONTANG

MEMUTUSKAN:
Menetapkan : PERATURAN DAERAH TENTANG PENYELENGGARAAN WISATA KOTA INDUSTRI.

BAB I
KETENTUAN UMUM

Pasal 1
Dalam Peraturan Daerah ini yang dimaksud dengan:
1. Daerah adalah Kota Bontang.
2. Pemerintah Daerah adalah Wali Kota sebagai unsur penyelenggara Pemerintahan Daerah yang memimpin pelaksanaan urusan pemerintahan yang menjadi kewenangan daerah otonom.
3. Wali Kota adalah Wali Kota Bontang.
4. Perangkat Daerah adalah unsur pembantu Wali Kota dan Dewan Perwakilan Rakyat Daerah dalam penyelenggaraan urusan pemerintahan yang menjadi kewenangan Daerah.
5. Wisata Kota Industri adalah kegiatan wisata yang memanfaatkan kawasan, proses, produk, dan sejarah industri di Daerah sebagai daya tarik wisata edukasi.
6. Pengelola Kawasan Industri adalah badan usaha yang mengelola kawasan atau fasilitas industri di Daerah.
7. Unsur Pentahelix adalah unsur pemerintah, dunia usaha, akademisi, komunitas, dan media.
8. Forum Pentahelix adalah wadah koordinasi Unsur Pentahelix dalam penyelenggaraan Wisata Kota Industri.
9. Rencana Induk Wisata Kota Industri adalah dokumen perencanaan penyelenggaraan Wisata Kota Industri untuk jangka waktu 5 (lima) tahun.

BAB II
ASAS DAN TUJUAN

Pasal 2
Penyelenggaraan Wisata Kota Industri berasaskan:
a. manfaat;
b. keselamatan;
c. kemitraan;
d. keberlanjutan; dan
e. edukasi.

Pasal 3
Penyelenggaraan Wisata Kota Industri bertujuan:
a. mengembangkan sumber daya manusia melalui edukasi industri;
b. meningkatkan kunjungan wisata dan perekonomian masyarakat; dan
c. memperkuat citra Daerah sebagai kota industri dan jasa.

BAB III
PERENCANAAN

Pasal 4
(1) Pemerintah Daerah menyusun Rencana Induk Wisata Kota Industri.
(2) Rencana Induk Wisata Kota Industri sebagaimana dimaksud pada ayat (1) memuat:
a. daya tarik Wisata Kota Industri;
b. jalur kunjungan dan standar keselamatan;
c. pengembangan sumber daya manusia; dan
d. pemasaran dan promosi.
(3) Penyusunan Rencana Induk Wisata Kota Industri sebagaimana dimaksud pada ayat (1) melibatkan Forum Pentahelix.
(4) Rencana Induk Wisata Kota Industri ditetapkan dengan Peraturan Wali Kota.

BAB IV
PELAKSANAAN

Bagian Kesatu
Umum

Pasal 5
(1) Wisata Kota Industri dilaksanakan oleh Pemerintah Daerah bersama Pengelola Kawasan Industri berdasarkan Rencana Induk Wisata Kota Industri sebagaimana dimaksud dalam Pasal 4.
(2) Kunjungan ke kawasan industri dilaksanakan dengan memenuhi standar keselamatan dan kesehatan kerja yang berlaku di kawasan industri.

Bagian Kedua
Kerja Sama

Pasal 6
(1) Pemerintah Daerah dapat melakukan kerja sama dengan Pengelola Kawasan Industri, perguruan tinggi, dan komunitas.
(2) Kerja sama sebagaimana dimaksud pada ayat (1) dituangkan dalam perjanjian kerja sama.

BAB V
PELIBATAN UNSUR PENTAHELIX

Pasal 7
(1) Wali Kota membentuk Forum Pentahelix.
(2) Forum Pentahelix sebagaimana dimaksud pada ayat (1) terdiri atas:
a. Perangkat Daerah yang membidangi pariwisata, perindustrian, dan ketenagakerjaan;
b. Pengelola Kawasan Industri;
c. perguruan tinggi;
d. komunitas sadar wisata; dan
e. media.
(3) Forum Pentahelix bertugas:
a. memberi masukan dalam penyusunan Rencana Induk Wisata Kota Industri;
b. mengoordinasikan pelaksanaan kegiatan sebagaimana dimaksud dalam Pasal 5; dan
c. menyebarluaskan informasi Wisata Kota Industri.

Pasal 8
Media berperan menyebarluaskan informasi dan promosi Wisata Kota Industri secara akurat dan bertanggung jawab.

BAB VI
PENGAWASAN

Pasal 9
(1) Wali Kota melakukan pengawasan terhadap penyelenggaraan Wisata Kota Industri.
(2) Pengawasan sebagaimana dimaksud pada ayat (1) dilaksanakan oleh Perangkat Daerah yang membidangi pariwisata.
(3) Hasil pengawasan sebagaimana dimaksud pada ayat (2) dilaporkan kepada Wali Kota paling sedikit 1 (satu) kali dalam 1 (satu) tahun.

BAB VII
PENDANAAN

Pasal 10
Pendanaan penyelenggaraan Wisata Kota Industri bersumber dari:
a. anggaran pendapatan dan belanja daerah;
b. tanggung jawab sosial dan lingkungan perusahaan; dan/atau
c. sumber lain yang sah dan tidak mengikat sesuai dengan ketentuan peraturan perundang-undangan.

BAB VIII
KETENTUAN PENUTUP

Pasal 11
Peraturan pelaksanaan Peraturan Daerah ini ditetapkan paling lama 1 (satu) tahun terhitung sejak Peraturan Daerah ini diundangkan.

Pasal 12
Peraturan Daerah ini mulai berlaku pada tanggal diundangkan.

PENJELASAN
ATAS
RANCANGAN PERATURAN DAERAH KOTA BONTANG
TENTANG
PENYELENGGARAAN WISATA KOTA INDUSTRI

I. UMUM
Kota Bontang tumbuh sebagai kota industri dan jasa. Kawasan industri gas alam cair, pupuk, dan industri hilir menyimpan pengetahuan yang bernilai bagi pelajar, mahasiswa, dan wisatawan. Program Wisata Kota Industri yang digagas DPC MASATA Kota Bontang dan dipilih sebagai pilot program Wisata Industri Nasional memerlukan payung hukum agar perencanaan, pelaksanaan, pengawasan, pelibatan unsur Pentahelix, dan penganggarannya berkelanjutan.

II. PASAL DEMI PASAL
Pasal 1
Cukup jelas.
"""


def _user(email: str) -> User:
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


def _unit(draft, full_label: str):
    tree = service.load_tree(draft.id)
    return tree.node(tree.by_full_label[full_label]).unit


def _edit(draft, user, full_label: str, old: str, new: str, note: str = ""):
    unit = _unit(draft, full_label)
    text = service.references.display(unit.text, service.load_tree(draft.id), service.load_tree(draft.id).node(unit.id))
    return service.save_unit(unit.id, user, unit.head_revision_id, text.replace(old, new), note)


def load(programme) -> None:
    rahmat = _user("pemerintah@demo.sinergi.id")
    sri = _user("bisnis@demo.sinergi.id")
    fajar = _user("akademisi@demo.sinergi.id")
    ilham = _user("komunitas@demo.sinergi.id")
    dewi = _user("media@demo.sinergi.id")
    andi = _user("dprd@demo.sinergi.id")
    yudi = _user("disnaker@demo.sinergi.id")
    putri = _user("pupukkaltim@demo.sinergi.id")

    draft = service.create_draft(programme, rahmat, TITLE, DraftKind.RAPERDA, "Kota Bontang",
                                 spec=importer.parse(RAPERDA), imported=True)
    # History: the editors' first round.
    _edit(draft, sri, "Pasal 5 ayat (2)", "kesehatan kerja", "kesehatan kerja serta tata tertib",
          "Masukan HSE Badak LNG")
    _edit(draft, yudi, "Pasal 7 ayat (2) huruf a", "dan ketenagakerjaan", "ketenagakerjaan, dan pendidikan",
          "Disnaker: sekolah vokasi ikut dilibatkan")
    spelling = comments.post(_unit(draft, "Pasal 10 huruf a"), fajar,
                             "Kata \"daerah\" di sini merujuk pada Kota Bontang: tulis \"Daerah\" sesuai definisi Pasal 1.")
    _edit(draft, andi, "Pasal 10 huruf a", "anggaran pendapatan dan belanja daerah",
          "anggaran pendapatan dan belanja Daerah", "Penulisan sesuai Pasal 1")
    rdp = service.create_version(draft, rahmat, "Versi untuk RDP 12 Mei")
    threads.mark_addressed(draft, spelling, andi, rdp)
    _edit(draft, andi, "Pasal 11", "1 (satu) tahun", "6 (enam) bulan", "Hasil RDP: Perwali lebih cepat")

    service.transition(draft, rahmat, DraftStatus.PEMBAHASAN, "Dibahas bersama DPRD dan mitra Pentahelix")
    service.transition(draft, rahmat, DraftStatus.KONSULTASI, "Konsultasi publik dibuka di Sinergi")

    # Consultation: suggestions and inputs from several elements.
    accepted = service.suggest(
        _unit(draft, "Pasal 5 ayat (2)"), putri,
        service.references.display(_unit(draft, "Pasal 5 ayat (2)").text, service.load_tree(draft.id))
        + " Pengunjung didampingi petugas Pengelola Kawasan Industri.",
        "Pengunjung kawasan pupuk wajib didampingi petugas demi keselamatan.",
    )
    service.accept_suggestion(accepted, sri, "Sesuai praktik keselamatan di Pupuk Kaltim")
    open_suggestion = service.suggest(
        _unit(draft, "Pasal 9 ayat (3)"), fajar,
        "Hasil pengawasan sebagaimana dimaksud pada ayat (2) dilaporkan kepada Wali Kota paling sedikit "
        "2 (dua) kali dalam 1 (satu) tahun dan diumumkan kepada masyarakat.",
        "Evaluasi semesteran memberi waktu perbaikan sebelum musim kunjungan sekolah; publikasi menjaga akuntabilitas.",
        source_label="Rapat koordinasi Forum Pentahelix, 20 Mei",
    )
    del open_suggestion
    inputs = [
        service.add_input(draft, ilham, "MASATA siap menjadi sekretariat Forum Pentahelix; mohon komunitas sadar "
                                        "wisata disebut sebagai penggerak.", unit=_unit(draft, "Pasal 7")),
        service.add_input(draft, dewi, "Media lokal perlu akses informasi jadwal kunjungan agar promosi akurat.",
                          unit=_unit(draft, "Pasal 8")),
        service.add_input(draft, fajar, "Universitas siap menyusun modul edukasi industri untuk sekolah.",
                          unit=_unit(draft, "Pasal 4")),
        service.add_input(draft, rahmat, "Pelaku usaha meminta kejelasan insentif bagi perusahaan yang membuka "
                                         "kawasannya.", author_name="Kadin Kota Bontang",
                          element=Element.BISNIS),
        service.add_input(draft, putri, "Biaya pemandu dari CSR perlu dicatat terpisah.",
                          unit=_unit(draft, "Pasal 10")),
    ]
    service.dispose(inputs[0], rahmat, Disposition.DITERIMA_SEBAGIAN,
                    "Komunitas sadar wisata sudah menjadi anggota Forum; peran sekretariat diatur dalam Perwali.")
    service.dispose(inputs[1], rahmat, Disposition.DITERIMA, "Jadwal kunjungan diumumkan melalui Forum Pentahelix.")
    service.dispose(inputs[2], rahmat, Disposition.DITAMPUNG, "Dimuat dalam Rencana Induk Wisata Kota Industri.")
    service.dispose(inputs[3], rahmat, Disposition.TIDAK_DITERIMA,
                    "Insentif daerah diatur dengan peraturan daerah tersendiri tentang pemberian insentif.")
    # inputs[4] stays unanswered: the draft page shows it.

    # Comments during consultation are inputs too (app/drafts/threads.py): one answered, the rest open.
    question = comments.post(_unit(draft, "Pasal 6"), ilham,
                             "Apakah kelompok sadar wisata di kelurahan sekitar kawasan ikut menyusun rencana kunjungan?")
    comments.post(_unit(draft, "Pasal 6"), fajar, "Usul: libatkan juga program studi pariwisata sebagai pendamping.",
                  parent=question)
    comments.post(draft, dewi, "Mohon naskah konsultasi juga diunggah dalam format yang mudah dibaca di ponsel.")
    answered = db.session.execute(select(PublicInput).where(PublicInput.comment_id == question.id)).scalar_one()
    service.dispose(answered, rahmat, Disposition.DITERIMA, "Pokdarwis dilibatkan melalui Forum Pentahelix (Pasal 7).")
