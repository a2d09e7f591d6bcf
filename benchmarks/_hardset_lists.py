"""Word lists of the hard resolution set: names by culture, nicknames, transliteration,
places. Kept here, not taken from `threadline.demo` or `_names.py`, so the benchmark's
data cannot change when those do. Lists run from common to rare: the generator draws
them with Zipf-like weights.
"""

# The lists hold Cyrillic names on purpose; RUF001 flags Cyrillic letters that look Latin.
# ruff: noqa: RUF001

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: cheap cache keys
class Culture:
    """Where a person's name comes from: name lists and how surnames are built."""

    key: str
    weight: float  # share of persons
    home: str  # ISO country for the 20% who do not live in Germany
    cyrillic: bool  # names are stored in Cyrillic and transliterated per record
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]  # real surnames, most common first
    roots: tuple[str, ...]  # invented surnames are root + ending
    endings: tuple[str, ...]


# fmt: off
CULTURES: Final = (
    Culture(
        "de", 0.45, "AT", False,
        male=("Thomas", "Michael", "Andreas", "Stefan", "Peter", "Christian", "Frank", "Markus",
              "Klaus", "Jürgen", "Wolfgang", "Martin", "Uwe", "Bernd", "Matthias", "Alexander",
              "Sebastian", "Tobias", "Jan", "Daniel", "Florian", "Johannes", "Maximilian",
              "Lukas", "Jonas", "Felix", "Paul", "Dieter", "Günter", "Helmut", "Manfred",
              "Werner", "Hans", "Karl", "Friedrich", "Wilhelm", "Heinz", "Ralf", "Holger",
              "Dirk"),
        female=("Sabine", "Petra", "Claudia", "Andrea", "Susanne", "Monika", "Birgit",
                "Stefanie", "Katharina", "Julia", "Anna", "Laura", "Lena", "Lea", "Sarah",
                "Christina", "Nicole", "Sandra", "Melanie", "Kerstin", "Ursula", "Renate",
                "Gisela", "Ingrid", "Helga", "Elisabeth", "Margarete", "Gabriele", "Karin",
                "Heike", "Anja", "Silke", "Franziska", "Johanna", "Marie", "Sophie", "Hannah",
                "Magdalena", "Charlotte", "Brigitte"),
        surnames=("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
                  "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter",
                  "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun",
                  "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz",
                  "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler",
                  "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters",
                  "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel",
                  "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth",
                  "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster", "Simon",
                  "Ludwig", "Böhm", "Winter", "Kraus", "Martin"),
        roots=("Berg", "Hof", "Stein", "Wald", "Brand", "Kirch", "Linden", "Rosen", "Feld",
               "Eich", "Born", "Hart", "Wein", "Kessel", "Ober", "Unter", "Neu", "Alt",
               "Groß", "Schön", "Holz", "Brunn", "Mühl", "Hein"),
        endings=("mann", "er", "hardt", "berger", "inger", "meier", "huber", "feld", "bach",
                 "stein", "ner", "ler", "rich", "wald"),
    ),
    Culture(
        "en", 0.15, "GB", False,
        male=("James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph",
              "Thomas", "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Mark",
              "Steven", "Paul", "Andrew", "Peter", "George", "Edward", "Samuel", "Benjamin",
              "Timothy", "Nicholas", "Alexander", "Oliver", "Harry", "Jack", "Henry"),
        female=("Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan",
                "Jessica", "Sarah", "Karen", "Margaret", "Emily", "Emma", "Olivia",
                "Charlotte", "Sophie", "Rebecca", "Victoria", "Catherine", "Katherine",
                "Deborah", "Rachel", "Helen", "Laura", "Amy", "Hannah", "Lucy", "Grace",
                "Alice", "Jane"),
        surnames=("Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson",
                  "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker",
                  "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke",
                  "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward",
                  "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan",
                  "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price",
                  "Bennett", "Young", "Griffiths"),
        roots=("Ash", "Brad", "Craw", "Hather", "Black", "Whit", "Brook", "Hol", "Ald", "Barn",
               "Ell", "Fair", "Hart", "Lang", "Mar", "Ox", "Pen", "Ship", "Stan", "Thorn",
               "Wind", "Rad"),
        endings=("ford", "ley", "ton", "well", "wood", "field", "by", "worth", "ham", "more",
                 "wick", "stone"),
    ),
    Culture(
        "ru", 0.12, "RU", True,
        male=("Александр", "Дмитрий", "Сергей", "Андрей", "Алексей", "Михаил", "Иван",
              "Николай", "Владимир", "Евгений", "Игорь", "Павел", "Олег", "Юрий", "Виктор",
              "Максим", "Роман", "Константин", "Артём", "Василий", "Пётр", "Григорий", "Борис",
              "Тарас", "Богдан"),
        female=("Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Мария",
                "Екатерина", "Юлия", "Людмила", "Галина", "Оксана", "Марина", "Дарья",
                "Анастасия", "Ксения", "Алина", "Вера", "Надежда", "Любовь", "Валентина",
                "Олена", "Ганна", "Христина"),
        surnames=("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов",
                  "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев",
                  "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов",
                  "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов",
                  "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин",
                  "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
                  "Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник",
                  "Шевчук", "Мельник", "Бойко", "Коваль"),
        roots=("Бел", "Черн", "Жук", "Щерб", "Гор", "Рыб", "Сух", "Лис", "Мед", "Кот", "Гол",
               "Дуб", "Зуб", "Клим", "Крыл", "Лук", "Мух", "Руд", "Сом", "Тит", "Шуст",
               "Яр"),
        endings=("ов", "ин", "енко", "ук", "ский", "ович"),
    ),
    Culture(
        "tr", 0.10, "TR", False,
        male=("Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "Murat",
              "Ömer", "Yusuf", "Emre", "Burak", "Can", "Serkan", "Kemal", "Osman", "Cem",
              "Onur", "Volkan", "Eren"),
        female=("Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Merve", "Özlem", "Esra",
                "Büşra", "Sevgi", "Hülya", "Leyla", "Derya", "Gül", "Aylin", "Ebru", "Selin",
                "Deniz", "Melek"),
        surnames=("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk",
                  "Aydın", "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara",
                  "Koç", "Kurt", "Özkan", "Şimşek", "Polat", "Korkmaz", "Karaca", "Erdoğan",
                  "Güneş", "Aksoy", "Tekin", "Akın", "Bulut", "Keskin", "Ünal", "Turan", "Uçar",
                  "Gül", "Işık"),
        roots=("Ak", "Kara", "Öz", "Er", "Gün", "Tok", "Bal", "Acar", "Ay", "Can", "Demir",
               "Köse", "Tur", "Yal"),
        endings=("oğlu", "er", "soy", "han", "kaya", "ay", "taş", "bay"),
    ),
    Culture(
        "pl", 0.10, "PL", False,
        male=("Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin", "Jakub",
              "Adam", "Łukasz", "Marek", "Grzegorz", "Wojciech", "Mateusz", "Kamil", "Józef",
              "Stanisław", "Jan", "Aleksander", "Dariusz"),
        female=("Anna", "Katarzyna", "Maria", "Małgorzata", "Agnieszka", "Barbara", "Ewa",
                "Krystyna", "Magdalena", "Elżbieta", "Joanna", "Aleksandra", "Monika", "Zofia",
                "Teresa", "Danuta", "Natalia", "Karolina", "Marta", "Beata"),
        surnames=("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński",
                  "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski",
                  "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski",
                  "Nowakowski", "Pawłowski", "Michalski", "Nowicki", "Adamczyk", "Dudek",
                  "Zając", "Wieczorek", "Jabłoński", "Król", "Majewski", "Olszewski",
                  "Jaworski", "Wróbel", "Malinowski", "Pawlak", "Witkowski"),
        roots=("Kos", "Mal", "Sad", "Brzoz", "Dąb", "Lip", "Wil", "Zaw", "Czar", "Grab", "Ostr",
               "Sob", "Mich", "Rud"),
        endings=("ski", "czyk", "ak", "ewicz", "owski", "ek"),
    ),
    Culture(
        "it", 0.08, "IT", False,
        male=("Giuseppe", "Giovanni", "Antonio", "Mario", "Luigi", "Francesco", "Marco",
              "Alessandro", "Andrea", "Luca", "José", "Carlos", "Pierre", "Jean", "François"),
        female=("Maria", "Anna", "Giulia", "Francesca", "Chiara", "Sara", "Laura", "Paola",
                "Elena", "Lucía", "Carmen", "Isabel", "Marie", "Sophie", "Camille"),
        surnames=("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo",
                  "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa",
                  "García", "Fernández", "González", "Rodríguez", "López", "Martínez",
                  "Sánchez", "Pérez", "Martin", "Bernard", "Dubois", "Durand", "Lefèvre",
                  "Moreau", "Laurent"),
        roots=("Bel", "Cas", "Fior", "Mont", "Ros", "Val", "Bon", "Cor", "Mar", "Ser", "Tor",
               "Lan"),
        endings=("etti", "ini", "ucci", "elli", "one", "ero"),
    ),
)

# Canonical first name -> nicknames (English, German, Polish; Russian in Cyrillic).
NICKNAMES: Final[dict[str, tuple[str, ...]]] = {
    "Robert": ("Bob", "Rob", "Bobby"), "William": ("Bill", "Will", "Willy"),
    "Richard": ("Dick", "Rick"), "James": ("Jim", "Jimmy"), "John": ("Jack", "Johnny"),
    "Thomas": ("Tom", "Tommy"), "Michael": ("Mike", "Micha"), "Edward": ("Ed", "Ted"),
    "Elizabeth": ("Liz", "Beth", "Betty"), "Margaret": ("Maggie", "Peggy"),
    "Katherine": ("Kate", "Kathy"), "Catherine": ("Cathy", "Kate"), "Jennifer": ("Jenny",),
    "Christopher": ("Chris",), "Daniel": ("Dan", "Danny"), "David": ("Dave",),
    "Joseph": ("Joe",), "Anthony": ("Tony",), "Charles": ("Charlie", "Chuck"),
    "Alexander": ("Alex", "Sascha"), "Andrew": ("Andy",), "Matthew": ("Matt",),
    "Nicholas": ("Nick",), "Samuel": ("Sam",), "Benjamin": ("Ben",), "Patricia": ("Pat",),
    "Susan": ("Sue",), "Deborah": ("Debbie",), "Rebecca": ("Becky",), "Victoria": ("Vicky",),
    "Steven": ("Steve",), "Timothy": ("Tim",), "Peter": ("Pete",), "Henry": ("Harry",),
    "Katharina": ("Katrin", "Kathi"), "Johannes": ("Hannes", "Hans"), "Wolfgang": ("Wolf",),
    "Stefanie": ("Steffi",), "Christian": ("Chris",), "Friedrich": ("Fritz",),
    "Wilhelm": ("Willi",), "Elisabeth": ("Lisa", "Elli"), "Margarete": ("Grete",),
    "Susanne": ("Susi",), "Gabriele": ("Gabi",), "Andreas": ("Andi",),
    "Franziska": ("Franzi",), "Magdalena": ("Lena",), "Maximilian": ("Max",),
    "Matthias": ("Matze",), "Sebastian": ("Basti",), "Tobias": ("Tobi",),
    "Aleksander": ("Olek",), "Małgorzata": ("Gosia",), "Katarzyna": ("Kasia",),
    "Wojciech": ("Wojtek",), "Józef": ("Józek",), "Tomasz": ("Tomek",),
    "Александр": ("Саша",), "Дмитрий": ("Дима",), "Михаил": ("Миша",),
    "Екатерина": ("Катя",), "Иван": ("Ваня",), "Владимир": ("Володя",),
    "Николай": ("Коля",), "Татьяна": ("Таня",), "Наталья": ("Наташа",),
    "Елена": ("Лена",), "Мария": ("Маша",), "Алексей": ("Лёша",),
}

_COMMON = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
           "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
           "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
           "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
           "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g"}
# Latin spellings of Cyrillic letters: English (BGN-like), German (Duden), French, ISO 9-ish.
TRANSLIT: Final[dict[str, dict[str, str]]] = {
    "en": _COMMON,
    "de": _COMMON | {"в": "w", "ё": "jo", "ж": "sch", "з": "s", "й": "j", "х": "ch",
                     "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ю": "ju", "я": "ja",
                     "ї": "ji", "є": "je"},
    "fr": _COMMON | {"ж": "j", "ч": "tch", "ш": "ch", "щ": "chtch", "у": "ou", "ю": "iou",
                     "я": "ia", "й": "i", "х": "kh"},
    "iso": _COMMON | {"ё": "ë", "ж": "ž", "й": "j", "х": "h", "ц": "c", "ч": "č", "ш": "š",
                      "щ": "ŝ", "ъ": "ʺ", "ь": "ʹ", "э": "è", "ю": "û", "я": "â", "ї": "ï",
                      "є": "ê"},
}

# Cities by country with a postcode prefix, biggest first.
CITIES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "DE": (("Berlin", "1"), ("Hamburg", "2"), ("München", "8"), ("Köln", "5"),
           ("Frankfurt am Main", "60"), ("Stuttgart", "70"), ("Düsseldorf", "40"),
           ("Leipzig", "04"), ("Dortmund", "44"), ("Essen", "45"), ("Bremen", "28"),
           ("Dresden", "01"), ("Hannover", "30"), ("Nürnberg", "90"), ("Duisburg", "47"),
           ("Bochum", "448"), ("Wuppertal", "42"), ("Bielefeld", "33"), ("Bonn", "53"),
           ("Münster", "48"), ("Mannheim", "68"), ("Karlsruhe", "76"), ("Augsburg", "86"),
           ("Wiesbaden", "65"), ("Kiel", "24"), ("Rostock", "18"), ("Potsdam", "14"),
           ("Freiburg im Breisgau", "79"), ("Lübeck", "23"), ("Erfurt", "99")),
    "AT": (("Wien", "1"), ("Graz", "80"), ("Linz", "40"), ("Salzburg", "50"),
           ("Innsbruck", "60")),
    "GB": (("London", "N"), ("Birmingham", "B"), ("Manchester", "M"), ("Leeds", "LS"),
           ("Glasgow", "G"), ("Bristol", "BS")),
    "RU": (("Москва", "1"), ("Санкт-Петербург", "19"), ("Новосибирск", "63"),
           ("Екатеринбург", "62")),
    "TR": (("İstanbul", "34"), ("Ankara", "06"), ("İzmir", "35"), ("Bursa", "16")),
    "PL": (("Warszawa", "0"), ("Kraków", "3"), ("Łódź", "9"), ("Wrocław", "5"),
           ("Gdańsk", "8")),
    "IT": (("Roma", "001"), ("Milano", "201"), ("Napoli", "801"), ("Torino", "101")),
}
STREETS_DE: Final = ("Haupt", "Bahnhof", "Garten", "Schul", "Kirch", "Berg", "Linden", "Wald",
    "Dorf", "Wiesen", "Sonnen", "Mühlen", "Birken", "Eichen", "Rosen", "Goethe", "Schiller",
    "Mozart", "Beethoven", "Kant", "Friedrich-Ebert-", "Bismarck", "Kaiser-Wilhelm-", "Luisen",
    "Park", "Feld", "Markt", "Post", "Buchen", "Tannen", "Ahorn", "Heide", "Blumen", "Amsel",
    "Lerchen", "Finken", "Burg", "Hafen", "Brunnen", "Kloster")
STREETS_GB: Final = ("High Street", "Station Road", "Church Lane", "Main Street", "Park Road",
    "Victoria Road", "London Road", "Green Lane", "Manor Road", "Church Street", "Park Avenue",
    "Queens Road", "New Road", "Grange Road", "Kings Road", "Mill Lane", "Albert Road",
    "Springfield Road", "The Avenue", "Windsor Road")
STREETS_OTHER: Final[dict[str, tuple[str, ...]]] = {
    "RU": ("ул. Ленина", "ул. Пушкина", "ул. Гагарина", "ул. Мира", "пр. Победы"),
    "TR": ("Atatürk Caddesi", "Cumhuriyet Caddesi", "İnönü Sokak", "Gazi Bulvarı"),
    "PL": ("ul. Marszałkowska", "ul. Długa", "ul. Polna", "ul. Leśna", "ul. Słoneczna"),
    "IT": ("Via Roma", "Via Garibaldi", "Via Mazzini", "Corso Italia", "Via Dante"),
}
EMAIL_DOMAINS: Final = ("gmail.com", "web.de", "gmx.de", "outlook.com", "yahoo.com",
                        "t-online.de", "mail.ru", "hotmail.com", "posteo.de", "icloud.com")
# fmt: on
