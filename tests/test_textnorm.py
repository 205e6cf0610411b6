from bot.textnorm import normalize, normalize_words, strip_accents


def test_accents_case_and_question_marks_fold() -> None:
    assert normalize_words("¿Qué es el GOBIERNO ABIERTO?") == "que es el gobierno abierto"


def test_chat_abbreviations_expand() -> None:
    assert normalize_words("q es el stl xq no entiendo") == "que es el stl porque no entiendo"
    assert normalize_words("pq k info") == "porque que informacion"


def test_repeated_letters_collapse_but_spanish_doubles_survive() -> None:
    assert normalize_words("holaaaaa") == "hola"
    assert normalize_words("graciaaaas") == "gracias"
    assert normalize_words("carro llamada leer accion") == "carro llamada leer accion"


def test_enie_is_kept() -> None:
    assert strip_accents("año Peña") == "año Peña"
    assert "año" in normalize("Año")


def test_emoji_and_markup_do_not_crash() -> None:
    assert normalize_words("😀😀") == ""
    assert normalize_words("<b>hola</b>") == "b hola b"
