"""Starting structures for new drafts (regulation text is Indonesian content, not UI).

A spec is a list of (kind, text, children). The importer produces the same shape.
"""
from app.drafts.models import DraftKind, UnitKind

K = UnitKind


def head_of_region(region: str) -> str:
    """"KOTA BONTANG" → "WALI KOTA BONTANG"; "KABUPATEN X" → "BUPATI X"; "PROVINSI X" → "GUBERNUR X"."""
    region = (region or "").strip().upper()
    for prefix, head in (("KOTA ", "WALI KOTA "), ("KABUPATEN ", "BUPATI "), ("PROVINSI ", "GUBERNUR ")):
        if region.startswith(prefix):
            return head + region[len(prefix):]
    return region


def regulation(kind: DraftKind, title: str, region: str) -> list:
    name = kind.legal_name.title()  # "Peraturan Daerah"
    region_title = (region or "").title()
    title_upper = (title or "").upper()
    return [
        (K.JUDUL, title_upper, []),
        (K.MENIMBANG, "", [
            (K.POIN, "bahwa …;", []),
            (K.POIN, f"bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan "
                     f"{name} tentang {title};", []),
        ]),
        (K.MENGINGAT, "", [
            (K.POIN, "Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;", []),
            (K.POIN, "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;", []),
        ]),
        (K.MENETAPKAN, f"{kind.legal_name} TENTANG {title_upper}.", []),
        (K.BAB, "KETENTUAN UMUM", [
            (K.PASAL, f"Dalam {name} ini yang dimaksud dengan:", [
                (K.ANGKA, f"Daerah adalah {region_title}.", []),
                (K.ANGKA, f"Pemerintah Daerah adalah {head_of_region(region).title()} sebagai unsur penyelenggara "
                          "Pemerintahan Daerah yang memimpin pelaksanaan urusan pemerintahan yang menjadi "
                          "kewenangan daerah otonom.", []),
            ]),
        ]),
        (K.BAB, "KETENTUAN PENUTUP", [
            (K.PASAL, f"{name} ini mulai berlaku pada tanggal diundangkan.", []),
        ]),
        (K.PENJELASAN, "I. UMUM\n\n…\n\nII. PASAL DEMI PASAL\n\nPasal 1\nCukup jelas.", []),
    ]


NASKAH_AKADEMIK_CHAPTERS = [
    "PENDAHULUAN",
    "KAJIAN TEORETIS DAN PRAKTIK EMPIRIS",
    "EVALUASI DAN ANALISIS PERATURAN PERUNDANG-UNDANGAN TERKAIT",
    "LANDASAN FILOSOFIS, SOSIOLOGIS, DAN YURIDIS",
    "JANGKAUAN, ARAH PENGATURAN, DAN RUANG LINGKUP MATERI MUATAN",
    "PENUTUP",
]


def for_kind(kind: DraftKind, title: str, region: str) -> list:
    if kind.is_regulation:
        return regulation(kind, title, region)
    if kind == DraftKind.NASKAH_AKADEMIK:
        # Free chapters: the usual six to start from; editors add, rename and remove chapters.
        return [(K.BAB, chapter, [(K.TEKS, "", [])]) for chapter in NASKAH_AKADEMIK_CHAPTERS]
    return [(K.TEKS, "", [])]
