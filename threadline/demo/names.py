"""Name pools the demo draws people, places and companies from; all invented or common words."""

from __future__ import annotations

from typing import Final

# fmt: off
# The word lists stay packed: one item per line would make this file ten times longer.

# Given names and surnames by origin. Cyrillic names are stored in native script and
# romanised by `translit`; Greek names carry their own romanisations because Greek
# transliteration is too irregular to do well with a letter table.
DE_MALE: Final = (
    "Thomas", "Michael", "Andreas", "Stefan", "Christian", "Markus", "Frank", "Jürgen", "Klaus",
    "Uwe", "Matthias", "Alexander", "Sebastian", "Tobias", "Jan", "Florian", "Wolfgang", "Peter",
    "Ralf", "Dirk", "Jörg", "Holger", "Bernd", "Sven", "Lukas", "Jonas", "Niklas", "Felix",
    "Björn", "Günter", "Hans-Peter", "Karl-Heinz",
)

DE_FEMALE: Final = (
    "Sabine", "Claudia", "Andrea", "Stefanie", "Nicole", "Julia", "Katrin", "Susanne", "Petra",
    "Anja", "Birgit", "Monika", "Christine", "Sandra", "Melanie", "Jana", "Lena", "Laura", "Anna",
    "Sarah", "Ute", "Karin", "Heike", "Martina", "Jutta", "Dörte", "Bärbel", "Gisela", "Renate",
    "Annika", "Anne-Kathrin",
)

DE_LAST: Final = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
    "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Köhler", "Herrmann", "König", "Walter",
    "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung",
    "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler",
    "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Schuster", "Simon", "Ludwig", "Böhm", "Winter",
    "Kraus", "Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel",
    "Heinrich", "Haas", "Schreiber", "Graf", "Dietrich", "Ziegler", "Kühn", "Pohl", "Engel",
    "Horn", "Busch", "Bergmann", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer", "Petersen",
    "Jansen", "Thiele", "Brandt", "Albrecht", "Kessler",
)

GB_MALE: Final = (
    "James", "John", "Robert", "Michael", "David", "William", "Richard", "Thomas", "Christopher",
    "Daniel", "Paul", "Mark", "Andrew", "Steven", "Oliver", "Harry", "George", "Jack", "Edward",
    "Simon",
)

GB_FEMALE: Final = (
    "Mary", "Sarah", "Emma", "Olivia", "Charlotte", "Sophie", "Emily", "Jessica", "Hannah",
    "Laura", "Rachel", "Helen", "Claire", "Victoria", "Rebecca",
)

GB_LAST: Final = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes",
    "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Cooper",
    "Hill", "Ward", "Morris", "Moore", "Clark", "King", "Baker", "Harrison", "Morgan", "Allen",
    "Scott", "Phillips", "Watson", "Parker", "Price", "Bennett", "Young", "Griffiths", "O'Brien",
    "McDonald",
)

TR_MALE: Final = (
    "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "Murat", "Emre", "Burak",
    "Serkan", "Cem",
)

TR_FEMALE: Final = (
    "Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Özlem", "Derya", "Gül",
)

TR_LAST: Final = (
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
    "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Koç", "Kurt", "Güneş",
)

RU_MALE: Final = (
    "Дмитрий", "Алексей", "Сергей", "Андрей", "Михаил", "Николай", "Игорь", "Павел", "Юрий",
    "Евгений", "Виктор", "Олег", "Максим", "Артём", "Константин", "Роман", "Григорий", "Борис",
    "Вадим", "Илья",
)

RU_FEMALE: Final = (
    "Анна", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Мария", "Екатерина",
    "Юлия", "Ксения", "Людмила", "Дарья", "Вера", "Галина",
)

# Male forms; `feminine_ru` derives the female form.
RU_LAST: Final = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Белов", "Тарасов",
    "Жуков", "Ковалевский", "Щербаков", "Юдин",
)

UA_MALE: Final = (
    "Олександр", "Андрій", "Сергій", "Володимир", "Микола", "Юрій", "Богдан", "Тарас", "Василь",
    "Петро", "Остап", "Ігор", "Євген",
)

UA_FEMALE: Final = (
    "Олена", "Оксана", "Наталія", "Ірина", "Тетяна", "Юлія", "Галина", "Людмила", "Ганна",
    "Катерина", "Марія", "Софія", "Ярослава",
)

UA_LAST: Final = (
    "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Мельник", "Поліщук", "Бойко", "Олійник",
    "Лисенко", "Гончаренко", "Савченко", "Руденко", "Марченко", "Петренко", "Ковальчук", "Мороз",
    "Гнатюк", "Яценко", "Захарчук",
)

# (native, official romanisation, common alternative)
GR_MALE: Final = (
    ("Γεώργιος", "Georgios", "Giorgos"), ("Κωνσταντίνος", "Konstantinos", "Constantine"),
    ("Δημήτριος", "Dimitrios", "Demetrios"), ("Νικόλαος", "Nikolaos", "Nicholas"),
    ("Ιωάννης", "Ioannis", "Yannis"), ("Αθανάσιος", "Athanasios", "Thanasis"),
    ("Παναγιώτης", "Panagiotis", "Panayiotis"), ("Χρήστος", "Christos", "Hristos"),
    ("Βασίλειος", "Vasileios", "Vasilis"), ("Ευάγγελος", "Evangelos", "Vangelis"),
    ("Σπυρίδων", "Spyridon", "Spiros"), ("Μιχαήλ", "Michail", "Michael"),
)

GR_FEMALE: Final = (
    ("Μαρία", "Maria", "Maria"), ("Ελένη", "Eleni", "Helen"),
    ("Αικατερίνη", "Aikaterini", "Katerina"), ("Βασιλική", "Vasiliki", "Vaso"),
    ("Σοφία", "Sofia", "Sophia"), ("Αναστασία", "Anastasia", "Natasa"),
    ("Δήμητρα", "Dimitra", "Demetra"), ("Ευαγγελία", "Evangelia", "Evangelia"),
    ("Γεωργία", "Georgia", "Georgia"), ("Χριστίνα", "Christina", "Hristina"),
)

# (male native, male romanised, female native, female romanised)
GR_LAST: Final = (
    ("Παπαδόπουλος", "Papadopoulos", "Παπαδοπούλου", "Papadopoulou"),
    ("Παπαδάκης", "Papadakis", "Παπαδάκη", "Papadaki"),
    ("Γεωργίου", "Georgiou", "Γεωργίου", "Georgiou"),
    ("Οικονόμου", "Oikonomou", "Οικονόμου", "Oikonomou"),
    ("Νικολάου", "Nikolaou", "Νικολάου", "Nikolaou"),
    ("Καραγιάννης", "Karagiannis", "Καραγιάννη", "Karagianni"),
    ("Αντωνίου", "Antoniou", "Αντωνίου", "Antoniou"), ("Μακρής", "Makris", "Μακρή", "Makri"),
    ("Αλεξίου", "Alexiou", "Αλεξίου", "Alexiou"),
    ("Κωνσταντινίδης", "Konstantinidis", "Κωνσταντινίδου", "Konstantinidou"),
    ("Δημητρίου", "Dimitriou", "Δημητρίου", "Dimitriou"),
    ("Λαμπράκης", "Lamprakis", "Λαμπράκη", "Lampraki"),
    ("Χατζηδάκης", "Chatzidakis", "Χατζηδάκη", "Chatzidaki"),
    ("Σταυρόπουλος", "Stavropoulos", "Σταυροπούλου", "Stavropoulou"),
    ("Μπακογιάννης", "Bakogiannis", "Μπακογιάννη", "Bakogianni"),
)

# Places and streets: (city, postcode prefix).
DE_CITIES: Final = (
    ("Hamburg", "20"), ("Bremen", "28"), ("Kiel", "24"), ("Lübeck", "23"), ("Rostock", "18"),
    ("Hannover", "30"), ("Berlin", "10"), ("Potsdam", "14"), ("Schwerin", "19"),
    ("Oldenburg", "26"), ("Osnabrück", "49"), ("Münster", "48"), ("Köln", "50"),
    ("Düsseldorf", "40"), ("Frankfurt am Main", "60"), ("München", "80"), ("Stuttgart", "70"),
    ("Leipzig", "04"), ("Dresden", "01"), ("Göttingen", "37"), ("Braunschweig", "38"),
    ("Flensburg", "24"), ("Lüneburg", "21"), ("Neumünster", "24"),
)

DE_STREETS: Final = (
    "Hauptstraße", "Bahnhofstraße", "Industriestraße", "Schillerstraße", "Goethestraße",
    "Hafenstraße", "Lindenallee", "Mühlenweg", "Eichenweg", "Gewerbering", "Am Markt",
    "Kirchplatz", "Am Hafen", "Dorfstraße", "Gartenstraße", "Bergstraße", "Feldstraße",
    "Poststraße", "Lange Reihe", "Große Elbstraße", "Schloßallee", "Kaiserstraße", "Wilhelmstraße",
    "Rosenweg", "Ringstraße", "Brückenstraße", "Am Stadtpark",
)

GB_CITIES: Final = (
    ("London", "EC"), ("London", "W"), ("Manchester", "M"), ("Leeds", "LS"), ("Bristol", "BS"),
    ("Birmingham", "B"), ("Liverpool", "L"), ("Newcastle", "NE"),
)

GB_STREETS: Final = (
    "High Street", "Station Road", "Church Lane", "Victoria Road", "King Street", "Queen's Road",
    "Mill Lane", "Park Avenue", "Albion Street", "Canal Walk",
)

REGIONS: Final = (
    "Nordmark", "Hanse", "Elbtal", "Weserland", "Rheinaue", "Havelland", "Ostsee", "Spreewald",
    "Mittelrhein", "Emsland", "Harz", "Lausitz", "Altmark", "Uckermark", "Vogtland", "Eifel",
    "Taunus", "Allgäu", "Küste", "Heide",
)

# Company name parts: (word, sector).
DE_SECTORS: Final = (
    ("Bau", "construction"), ("Tiefbau", "construction"), ("Hochbau", "construction"),
    ("Straßenbau", "construction"), ("Metallbau", "construction"), ("Gerüstbau", "construction"),
    ("Abbruch", "construction"), ("Logistik", "logistics"), ("Spedition", "logistics"),
    ("Transporte", "logistics"), ("Gebäudetechnik", "facilities"),
    ("Elektrotechnik", "facilities"), ("Haustechnik", "facilities"),
    ("Reinigungsdienste", "facilities"), ("Sicherheitsdienste", "facilities"),
    ("Grünflächenpflege", "facilities"), ("Kühltechnik", "facilities"), ("IT-Systeme", "it"),
    ("Software", "it"), ("Datentechnik", "it"), ("Consulting", "consulting"),
    ("Unternehmensberatung", "consulting"), ("Ingenieurbüro", "consulting"),
    ("Planungsgesellschaft", "consulting"), ("Medizintechnik", "medical"),
    ("Labordiagnostik", "medical"), ("Druckerei", "supplies"), ("Bürobedarf", "supplies"),
    ("Handels", "supplies"), ("Energietechnik", "energy"), ("Solartechnik", "energy"),
    ("Immobilien", "property"), ("Grundbesitz", "property"), ("Vermögensverwaltung", "finance"),
    ("Beteiligungs", "finance"), ("Verwaltungs", "finance"), ("Catering", "supplies"),
    ("Entsorgung", "facilities"), ("Personaldienstleistungen", "consulting"),
    ("Fahrzeugtechnik", "logistics"),
)

GB_SECTORS: Final = (
    ("Construction", "construction"), ("Civil Engineering", "construction"),
    ("Logistics", "logistics"), ("Freight", "logistics"), ("Facilities Management", "facilities"),
    ("Security Services", "facilities"), ("IT Solutions", "it"), ("Software", "it"),
    ("Consulting", "consulting"), ("Advisory", "consulting"), ("Medical Supplies", "medical"),
    ("Trading", "supplies"), ("Energy", "energy"), ("Property", "property"),
    ("Holdings", "finance"), ("Capital", "finance"),
)

FANTASY: Final = (
    "Ostwind", "Lindgrün", "Blauquell", "Eichenhof", "Silberfels", "Kranich", "Falkenstein",
    "Sonnenhang", "Steinbrück", "Morgenrot", "Wendelin", "Greif", "Adler", "Merkur", "Atlas",
    "Vectra", "Novatek", "Quantis", "Solvida", "Nordlicht", "Seewind", "Lotsen", "Leuchtturm",
    "Birkenhain", "Kompass", "Fernblick", "Weitsicht", "Terranova", "Prisma", "Orbis", "Helios",
    "Castor", "Tellur", "Brückner", "Rotdorn", "Habicht",
)

OFFSHORE_WORDS: Final = (
    "Azure", "Meridian", "Silverline", "Bluewater", "Tamarind", "Coral", "Orchid", "Sapphire",
    "Kestrel", "Juniper", "Altair", "Borealis", "Cobalt", "Crescent", "Obsidian", "Pinnacle",
    "Larkspur", "Zephyr", "Amber", "Mistral", "Seagrove", "Ironwood", "Stellar", "Cypress",
    "Ardent", "Westmoor", "Lodestar", "Harrow",
)

OFFSHORE_SECOND: Final = (
    "Bay", "Ridge", "Harbour", "Peak", "Point", "Gate", "Stone", "Field", "Rock", "Cove", "Isle",
    "Key", "Sound", "Reef",
)

OFFSHORE_SUFFIX: Final = (
    "Holdings", "Investments", "Capital", "Ventures", "Trading", "Management", "Assets",
    "Enterprises", "Group", "Partners", "International",
)

# Procurement vocabulary: (title template, CPV code, sector).
CONTRACT_TITLES: Final = (
    ("Sanierung der {place}brücke", "45221111", "construction"),
    ("Erneuerung der Fahrbahndecke {road}", "45233252", "construction"),
    ("Neubau Feuerwache {city}", "45216121", "construction"),
    ("Erweiterung Grundschule {city}", "45214210", "construction"),
    ("Kanalsanierung {city}-Süd", "45232410", "construction"),
    ("Winterdienst {road}", "90620000", "facilities"),
    ("Unterhaltsreinigung Verwaltungsgebäude", "90911200", "facilities"),
    ("Wachschutz Dienstgebäude {city}", "79713000", "facilities"),
    ("Wartung der Aufzugsanlagen", "50750000", "facilities"),
    ("Grünpflege Liegenschaften {city}", "77310000", "facilities"),
    ("Rahmenvertrag IT-Dienstleistungen", "72000000", "it"),
    ("Lieferung von Notebooks und Monitoren", "30213100", "it"),
    ("Betrieb des Fachverfahrens {unit}", "72267000", "it"),
    ("Beratungsleistungen Organisationsentwicklung", "79411000", "consulting"),
    ("Gutachten Verkehrsplanung {road}", "71311200", "consulting"),
    ("Lieferung von Büromaterial", "30192000", "supplies"),
    ("Druck und Versand Amtsblatt", "79810000", "supplies"),
    ("Lieferung von Medizinprodukten", "33140000", "medical"),
    ("Beförderung von Schülern", "60130000", "logistics"),
    ("Wartung Fuhrpark", "50110000", "logistics"),
    ("Energieberatung Liegenschaften", "71314300", "energy"),
    ("Photovoltaikanlage Bauhof {city}", "09331200", "energy"),
    ("Anmietung Büroflächen {city}", "70130000", "property"),
)

AUTHORITY_PATTERNS: Final = (
    "Landesamt für Straßenbau {region}", "Landesbetrieb Bau und Liegenschaften {region}",
    "Stadtverwaltung {city}", "Bezirksamt {city}-Mitte", "Kreisverwaltung {region}",
    "Universitätsklinikum {city}", "Polizeidirektion {city}", "Landesamt für IT {region}",
    "Ministerium für Verkehr des Landes {region}", "Hafenbehörde {city}",
    "Abfallwirtschaftsbetrieb {city}", "Amt für Schulbau {city}", "Landesamt für Umwelt {region}",
    "Zentrale Beschaffungsstelle {region}",
)

OFFICIAL_ROLES: Final = (
    "Sachbearbeitung Vergabe", "Referatsleitung", "Abteilungsleitung", "Leitung Vergabestelle",
    "Amtsleitung", "Kämmerei", "Technische Leitung", "Projektleitung", "Justiziariat",
)

RELATIONSHIPS: Final = (
    "spouse", "brother", "sister", "son", "daughter", "father", "mother", "brother-in-law",
    "sister-in-law", "cousin",
)

PARTIES: Final = (
    "Bürgerbund Nordmark", "Liberale Mitte", "Grüne Allianz", "Soziale Union",
    "Partei für Arbeit und Heimat", "Neue Demokraten", "Freie Wählervereinigung Küste",
    "Konservative Erneuerung", "Linke Liste", "Zentrumspartei Nord", "Volksbewegung Heide",
    "Europäische Bürgerpartei",
)

PAYMENT_PURPOSES: Final = (
    "consulting services", "management fee", "loan", "loan repayment", "commission",
    "marketing services", "agency agreement", "software licence", "dividend", "share purchase",
    "invoice", "advisory fee", "logistics services",
)

GB_PLACES: Final = (
    "Thames", "Pennine", "Cotswold", "Mersey", "Severn", "Solent", "Wessex", "Northumbria",
    "Clyde", "Humber", "Chiltern", "Fenland",
)

# Where foreign and offshore companies sit: jurisdiction -> (city, street lines).
FOREIGN_SEATS: Final = {
    "nl": ("Amsterdam", ("Herengracht 420", "Strawinskylaan 1021", "Prins Bernhardplein 200")),
    "lu": ("Luxembourg", ("2, rue Eugène Ruppert", "46A, avenue J.F. Kennedy")),
    "cy": ("Limassol", ("Arch. Makariou III 155", "Spyrou Kyprianou 78", "Anexartisias 12")),
    "us": ("Wilmington", ("1209 Orange Street", "251 Little Falls Drive")),
    "ch": ("Zug", ("Baarerstrasse 8", "Bahnhofstrasse 21")),
    "at": ("Wien", ("Kärntner Ring 5", "Praterstraße 31")),
    "vg": ("Road Town, Tortola", ("Palm Grove House", "Wickhams Cay II", "Mill Mall")),
    "sc": ("Victoria, Mahé", ("Suite 13, Oliaji Trade Centre", "Global Gateway 8")),
    "pa": ("Panama City", ("Calle 50, Torre Global", "Avenida Balboa 27")),
    "ae": ("Dubai", ("JAFZA View 19", "Al Moosa Tower 2, Sheikh Zayed Road")),
    "mt": ("Sliema", ("Tower Road 117", "The Strand 42")),
    "bz": ("Belize City", ("60 Market Square", "35 Barrack Road")),
}
# fmt: on
