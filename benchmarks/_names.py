"""Name material for the benchmark generators: word lists and a seeded name factory.

The benchmarks keep their own lists instead of importing `threadline.demo`, so the data
they measure on cannot change when the demo does.
"""

# The lists hold Cyrillic names on purpose; RUF001 flags Cyrillic letters that look Latin.
# ruff: noqa: RUF001

from __future__ import annotations

from random import Random
from typing import Final

# fmt: off
GIVEN_LATIN: Final = (
    "James", "John", "Robert", "Michael", "David", "William", "Richard", "Thomas", "Daniel",
    "Paul", "Mark", "Andrew", "Oliver", "Harry", "George", "Edward", "Simon", "Mary", "Sarah",
    "Emma", "Olivia", "Charlotte", "Sophie", "Emily", "Hannah", "Laura", "Rachel", "Helen",
    "Claire", "Victoria", "Rebecca", "Stefan", "Markus", "Jürgen", "Klaus", "Matthias",
    "Sebastian", "Tobias", "Florian", "Wolfgang", "Jörg", "Björn", "Günter", "Sabine",
    "Claudia", "Katrin", "Susanne", "Dörte", "Bärbel", "Renate", "Annika", "José", "María",
    "Sofía", "Andrés", "Jesús", "Lucía", "Inés", "Joaquín", "Ramón", "François", "Hélène",
    "Amélie", "Jérôme", "Céline", "Zoë", "Noël", "Françoise", "João", "Conceição", "Sebastião",
    "Gonçalo", "Łukasz", "Paweł", "Małgorzata", "Agnieszka", "Wojciech", "Grzegorz", "Jiří",
    "Tomáš", "Lucie", "Petr", "Mehmet", "Mustafa", "Ahmet", "Hüseyin", "Ayşe", "Fatma",
    "Zeynep", "Özlem", "Emre", "Giulia", "Alessandro", "Francesca", "Niccolò", "Ilaria",
    "Søren", "Åsa", "Ingrid", "Lars", "Mikael", "Anneli", "Aoife", "Siobhán", "Seán", "Niamh",
)
SURNAME_LATIN: Final = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Johnson",
    "Roberts", "Robinson", "Thompson", "Wright", "Walker", "Edwards", "Hughes", "Harrison",
    "Morgan", "Phillips", "Watson", "Bennett", "Griffiths", "O'Brien", "McDonald", "Müller",
    "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann",
    "Schäfer", "Richter", "Schröder", "Zimmermann", "Krüger", "Köhler", "König", "Möller",
    "Weiß", "Günther", "Böhm", "Jäger", "Kühn", "García", "Fernández", "González", "Rodríguez",
    "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Jiménez", "Muñoz", "Álvarez", "Dubois",
    "Lefèvre", "Moreau", "Girard", "Bonnet", "Lemaître", "Fontaine", "Mercier", "Gonçalves",
    "Conceição", "Magalhães", "Araújo", "Nowak", "Kowalski", "Wiśniewski", "Wójcik",
    "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Dvořák", "Novák", "Černý", "Procházka",
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Rossi", "Russo",
    "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Jensen", "Nielsen",
    "Hansen", "Pedersen", "Andersson", "Johansson", "Karlsson", "Nyström", "Ó Briain",
    "Mac Cárthaigh", "Murphy", "Kelly",
)
GIVEN_CYRILLIC: Final = (
    "Дмитрий", "Алексей", "Сергей", "Андрей", "Михаил", "Николай", "Игорь", "Павел", "Юрий",
    "Евгений", "Виктор", "Олег", "Максим", "Артём", "Константин", "Роман", "Григорий", "Борис",
    "Вадим", "Илья", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна",
    "Мария", "Екатерина", "Юлия", "Людмила", "Галина", "Оксана", "Богдан", "Тарас", "Олена",
    "Іван", "Петро", "Христина",
)
SURNAME_CYRILLIC: Final = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
    "Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Шевчук",
    "Щербаков", "Жуков", "Чернов", "Цветков", "Хрущёв",
)
# Syllables for invented surnames and brand names: a wide vocabulary, like a real register.
SYLLABLES: Final = (
    "ka", "ro", "li", "ven", "dor", "mar", "tel", "sa", "bri", "lan", "tor", "vik", "ne", "ost",
    "ber", "gal", "min", "ra", "zu", "pel", "hau", "sen", "dal", "mo", "ri", "tan", "quin",
    "fel", "gor", "ha", "ja", "lek", "nor", "pri", "sto", "ul", "var", "wen", "ya", "zor", "bel",
    "cas", "dun", "er", "fin", "gri", "hol", "is", "kre", "lun", "mi", "nak", "or", "pas",
    "rus", "sil", "tro", "ur", "vel", "wal", "xen", "ber", "cor", "dan", "ell", "fro", "gun",
)
SURNAME_ENDINGS: Final = (
    "son", "sen", "mann", "er", "ini", "ez", "ov", "ski", "ek", "ley", "ton", "berg", "ic",
    "escu", "ides", "oglu", "", "", "", "",
)
COMPANY_WORDS: Final = (
    "Global", "United", "Northern", "Atlantic", "Baltic", "Alpine", "Continental", "Pacific",
    "Royal", "Central", "Premier", "Golden", "Silver", "Green", "Blue", "Eastern", "Western",
    "Capital", "Summit", "Harbour", "River", "Crown", "Pioneer", "Nova", "Delta", "Orion",
)
COMPANY_SECTORS: Final = (
    "Holdings", "Trading", "Logistics", "Shipping", "Construction", "Energy", "Consulting",
    "Investments", "Properties", "Engineering", "Services", "Resources", "Industries",
    "Technologies", "Media", "Pharma", "Foods", "Textiles", "Mining", "Capital", "Partners",
    "Ventures", "Motors", "Systems", "Solutions", "Developments", "Finance", "Agro",
)
LEGAL_FORMS: Final = (
    "Ltd", "Limited", "LLC", "Inc.", "GmbH", "AG", "S.A.", "S.à r.l.", "B.V.", "N.V.", "S.r.l.",
    "S.p.A.", "Sp. z o.o.", "a.s.", "s.r.o.", "A/S", "AB", "Oy", "PLC", "LLP", "SE",
)
COMPANY_CYRILLIC_WORDS: Final = (
    "Альфа", "Восток", "Север", "Прогресс", "Энергия", "Стройинвест", "Торговый дом", "Регион",
    "Капитал", "Технологии", "Нефтегаз", "Металл", "Агро", "Транс", "Сибирь", "Урал",
)
LEGAL_FORMS_CYRILLIC: Final = ("ООО", "АО", "ПАО", "ЗАО", "ТОВ")
CITIES: Final = (
    ("gb", "London"), ("gb", "Manchester"), ("gb", "Birmingham"), ("gb", "Leeds"),
    ("gb", "Glasgow"), ("gb", "Bristol"), ("de", "Berlin"), ("de", "München"), ("de", "Köln"),
    ("de", "Hamburg"), ("fr", "Paris"), ("fr", "Lyon"), ("es", "Madrid"), ("es", "Málaga"),
    ("pt", "Lisboa"), ("pl", "Łódź"), ("pl", "Kraków"), ("cz", "Praha"), ("tr", "İstanbul"),
    ("it", "Milano"), ("dk", "København"), ("se", "Göteborg"), ("ie", "Dublin"),
    ("cy", "Limassol"), ("ru", "Москва"), ("ru", "Санкт-Петербург"), ("ua", "Київ"),
    ("lu", "Luxembourg"), ("ch", "Zürich"), ("ae", "Dubai"), ("vg", "Road Town"),
)
STREET_WORDS: Final = (
    "High", "Station", "Church", "Mill", "Park", "Victoria", "Queen", "King", "Main", "Garden",
    "Haupt", "Bahnhof", "Linden", "Rose", "Oak", "Market", "Bridge", "Castle", "Lake", "Elm",
)
STREET_KINDS: Final = ("Street", "Road", "Lane", "Avenue", "straße", "weg", "Rue", "Calle")
# fmt: on


class NameFactory:
    """Seeded source of people, companies and addresses; same seed, same names."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng

    def invented(self, low: int = 2, high: int = 3) -> str:
        """A pronounceable invented word, capitalised: the long tail of a name register."""
        rng = self.rng
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(low, high)))
        return (word + rng.choice(SURNAME_ENDINGS)).capitalize()

    def person(self) -> tuple[str, str]:
        """(full name, script) with 2-4 tokens; ~8% Cyrillic, many accented, many invented."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.08:
            given = rng.choice(GIVEN_CYRILLIC)
            surname = rng.choice(SURNAME_CYRILLIC)
            if rng.random() < 0.3:
                surname = f"{surname} {rng.choice(SURNAME_CYRILLIC)}"
            return f"{given} {surname}", "cyrillic"
        given = rng.choice(GIVEN_LATIN)
        surname = rng.choice(SURNAME_LATIN) if roll < 0.45 else self.invented()
        parts = [given]
        if rng.random() < 0.35:
            parts.append(rng.choice(GIVEN_LATIN))
        parts.append(surname)
        if rng.random() < 0.15:
            parts.append(self.invented())
        return " ".join(parts), "latin"

    def company(self) -> tuple[str, str]:
        """(company name, script), with a legal form most of the time."""
        rng = self.rng
        if rng.random() < 0.06:
            name = f"{rng.choice(COMPANY_CYRILLIC_WORDS)} {self.invented(2, 2)}"
            return f'{rng.choice(LEGAL_FORMS_CYRILLIC)} "{name}"', "cyrillic"
        parts = []
        if rng.random() < 0.5:
            parts.append(rng.choice(COMPANY_WORDS))
        parts.append(self.invented(2, 3))
        if rng.random() < 0.4:
            parts.append(rng.choice(SURNAME_LATIN))
        parts.append(rng.choice(COMPANY_SECTORS))
        if rng.random() < 0.85:
            parts.append(rng.choice(LEGAL_FORMS))
        return " ".join(parts), "latin"

    def address(self) -> tuple[str, str, str, str]:
        """(street, postcode, city, country code)."""
        rng = self.rng
        country, city = rng.choice(CITIES)
        kind = rng.choice(STREET_KINDS)
        word = rng.choice(STREET_WORDS) if rng.random() < 0.6 else self.invented(2, 2)
        street = f"{word}{kind}" if kind.islower() else f"{word} {kind}"
        street = f"{rng.randint(1, 240)} {street}"
        if country == "gb":
            postcode = (
                f"{rng.choice('ABEGLMNSW')}{rng.choice('ABCDEHMNW')}{rng.randint(1, 29)} "
                f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            )
        else:
            postcode = f"{rng.randint(1000, 99999):05d}"
        return street, postcode, city, country
