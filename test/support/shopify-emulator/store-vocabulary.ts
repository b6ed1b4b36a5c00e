import type { AddressRecord } from "./model";

/**
 * Word lists for the synthetic store: customer locales (names, cities, streets, time zones), the
 * catalogue of a coffee and tea shop, and the discount codes its orders use. Every brand, street
 * number and phone number is made up; phone numbers use ranges reserved for fiction.
 */

export interface CityInfo {
  city: string;
  province: string | null;
  provinceCode: string | null;
  timezone: string;
  zips: readonly string[];
}

export interface LocaleInfo {
  locale: string;
  /** Share of customers, in percent. */
  weight: number;
  country: string;
  countryCode: string;
  firstNames: readonly string[];
  lastNames: readonly string[];
  cities: readonly CityInfo[];
  streets: readonly string[];
  /** How a street line is written: "12 Main Street", "Hauptstraße 12" or "Calle Mayor, 12". */
  streetFormat: "number-street" | "street-number" | "street-comma-number";
  secondLines: readonly string[];
  /** Fictional phone ranges (prefix + random digits), or null where none is reserved. */
  phone: { prefixes: readonly string[]; randomDigits: number } | null;
}

const US_CITIES: readonly CityInfo[] = [
  { city: "New York", province: "New York", provinceCode: "NY", timezone: "America/New_York", zips: ["10001", "10011", "10025"] },
  { city: "Boston", province: "Massachusetts", provinceCode: "MA", timezone: "America/New_York", zips: ["02108", "02116", "02134"] },
  { city: "Miami", province: "Florida", provinceCode: "FL", timezone: "America/New_York", zips: ["33130", "33135", "33139"] },
  { city: "Atlanta", province: "Georgia", provinceCode: "GA", timezone: "America/New_York", zips: ["30303", "30308", "30318"] },
  { city: "Chicago", province: "Illinois", provinceCode: "IL", timezone: "America/Chicago", zips: ["60601", "60614", "60657"] },
  { city: "Austin", province: "Texas", provinceCode: "TX", timezone: "America/Chicago", zips: ["78701", "78704", "78745"] },
  { city: "Minneapolis", province: "Minnesota", provinceCode: "MN", timezone: "America/Chicago", zips: ["55401", "55403", "55408"] },
  { city: "Denver", province: "Colorado", provinceCode: "CO", timezone: "America/Denver", zips: ["80202", "80205", "80210"] },
  { city: "Phoenix", province: "Arizona", provinceCode: "AZ", timezone: "America/Phoenix", zips: ["85003", "85004", "85016"] },
  { city: "Seattle", province: "Washington", provinceCode: "WA", timezone: "America/Los_Angeles", zips: ["98101", "98103", "98122"] },
  { city: "Portland", province: "Oregon", provinceCode: "OR", timezone: "America/Los_Angeles", zips: ["97201", "97209", "97214"] },
  { city: "San Francisco", province: "California", provinceCode: "CA", timezone: "America/Los_Angeles", zips: ["94103", "94110", "94117"] },
  { city: "Los Angeles", province: "California", provinceCode: "CA", timezone: "America/Los_Angeles", zips: ["90012", "90026", "90046"] },
];

const GB_CITIES: readonly CityInfo[] = [
  { city: "London", province: null, provinceCode: null, timezone: "Europe/London", zips: ["E1 6AN", "N1 9GU", "SE1 7PB"] },
  { city: "Manchester", province: null, provinceCode: null, timezone: "Europe/London", zips: ["M1 4BT", "M4 5JD", "M14 5TQ"] },
  { city: "Birmingham", province: null, provinceCode: null, timezone: "Europe/London", zips: ["B1 1BB", "B5 4BU", "B15 2TT"] },
  { city: "Leeds", province: null, provinceCode: null, timezone: "Europe/London", zips: ["LS1 4DY", "LS2 7EY", "LS6 3AA"] },
  { city: "Bristol", province: null, provinceCode: null, timezone: "Europe/London", zips: ["BS1 4DJ", "BS6 5QA", "BS8 1TH"] },
  { city: "Edinburgh", province: null, provinceCode: null, timezone: "Europe/London", zips: ["EH1 1YZ", "EH3 9DR", "EH8 9YL"] },
  { city: "Glasgow", province: null, provinceCode: null, timezone: "Europe/London", zips: ["G1 1XQ", "G3 6RE", "G12 8QQ"] },
  { city: "Cardiff", province: null, provinceCode: null, timezone: "Europe/London", zips: ["CF10 1EP", "CF11 9LJ", "CF24 4HQ"] },
];

const ES_CITIES: readonly CityInfo[] = [
  { city: "Madrid", province: "Madrid", provinceCode: "M", timezone: "Europe/Madrid", zips: ["28004", "28013", "28045"] },
  { city: "Barcelona", province: "Barcelona", provinceCode: "B", timezone: "Europe/Madrid", zips: ["08001", "08012", "08036"] },
  { city: "Valencia", province: "Valencia", provinceCode: "V", timezone: "Europe/Madrid", zips: ["46001", "46010", "46022"] },
  { city: "Sevilla", province: "Sevilla", provinceCode: "SE", timezone: "Europe/Madrid", zips: ["41001", "41003", "41010"] },
  { city: "Málaga", province: "Málaga", provinceCode: "MA", timezone: "Europe/Madrid", zips: ["29001", "29007", "29016"] },
  { city: "Bilbao", province: "Vizcaya", provinceCode: "BI", timezone: "Europe/Madrid", zips: ["48001", "48007", "48013"] },
  { city: "Zaragoza", province: "Zaragoza", provinceCode: "Z", timezone: "Europe/Madrid", zips: ["50001", "50004", "50009"] },
  { city: "Las Palmas de Gran Canaria", province: "Las Palmas", provinceCode: "GC", timezone: "Atlantic/Canary", zips: ["35001", "35007", "35010"] },
];

const FR_CITIES: readonly CityInfo[] = [
  { city: "Paris", province: null, provinceCode: null, timezone: "Europe/Paris", zips: ["75003", "75011", "75015"] },
  { city: "Lyon", province: null, provinceCode: null, timezone: "Europe/Paris", zips: ["69001", "69003", "69007"] },
  { city: "Marseille", province: null, provinceCode: null, timezone: "Europe/Paris", zips: ["13001", "13006", "13008"] },
  { city: "Toulouse", province: null, provinceCode: null, timezone: "Europe/Paris", zips: ["31000", "31300", "31400"] },
  { city: "Bordeaux", province: null, provinceCode: null, timezone: "Europe/Paris", zips: ["33000", "33300", "33800"] },
  { city: "Nantes", province: null, provinceCode: null, timezone: "Europe/Paris", zips: ["44000", "44100", "44300"] },
  { city: "Lille", province: null, provinceCode: null, timezone: "Europe/Paris", zips: ["59000", "59260", "59800"] },
  { city: "Strasbourg", province: null, provinceCode: null, timezone: "Europe/Paris", zips: ["67000", "67100", "67200"] },
];

const DE_CITIES: readonly CityInfo[] = [
  { city: "Berlin", province: null, provinceCode: null, timezone: "Europe/Berlin", zips: ["10115", "10437", "10999"] },
  { city: "Hamburg", province: null, provinceCode: null, timezone: "Europe/Berlin", zips: ["20095", "20357", "22765"] },
  { city: "München", province: null, provinceCode: null, timezone: "Europe/Berlin", zips: ["80331", "80469", "81667"] },
  { city: "Köln", province: null, provinceCode: null, timezone: "Europe/Berlin", zips: ["50667", "50672", "50823"] },
  { city: "Frankfurt am Main", province: null, provinceCode: null, timezone: "Europe/Berlin", zips: ["60311", "60316", "60594"] },
  { city: "Stuttgart", province: null, provinceCode: null, timezone: "Europe/Berlin", zips: ["70173", "70176", "70190"] },
  { city: "Leipzig", province: null, provinceCode: null, timezone: "Europe/Berlin", zips: ["04103", "04109", "04275"] },
  { city: "Düsseldorf", province: null, provinceCode: null, timezone: "Europe/Berlin", zips: ["40210", "40213", "40477"] },
];

const IT_CITIES: readonly CityInfo[] = [
  { city: "Milano", province: "Milano", provinceCode: "MI", timezone: "Europe/Rome", zips: ["20121", "20135", "20144"] },
  { city: "Roma", province: "Roma", provinceCode: "RM", timezone: "Europe/Rome", zips: ["00153", "00185", "00198"] },
  { city: "Torino", province: "Torino", provinceCode: "TO", timezone: "Europe/Rome", zips: ["10121", "10128", "10153"] },
  { city: "Napoli", province: "Napoli", provinceCode: "NA", timezone: "Europe/Rome", zips: ["80121", "80133", "80138"] },
  { city: "Bologna", province: "Bologna", provinceCode: "BO", timezone: "Europe/Rome", zips: ["40121", "40125", "40137"] },
  { city: "Firenze", province: "Firenze", provinceCode: "FI", timezone: "Europe/Rome", zips: ["50122", "50129", "50137"] },
  { city: "Verona", province: "Verona", provinceCode: "VR", timezone: "Europe/Rome", zips: ["37121", "37122", "37138"] },
  { city: "Palermo", province: "Palermo", provinceCode: "PA", timezone: "Europe/Rome", zips: ["90133", "90139", "90141"] },
];

const NL_CITIES: readonly CityInfo[] = [
  { city: "Amsterdam", province: null, provinceCode: null, timezone: "Europe/Amsterdam", zips: ["1012 AB", "1017 CE", "1072 LH"] },
  { city: "Rotterdam", province: null, provinceCode: null, timezone: "Europe/Amsterdam", zips: ["3011 AD", "3012 CL", "3024 BH"] },
  { city: "Utrecht", province: null, provinceCode: null, timezone: "Europe/Amsterdam", zips: ["3511 AB", "3512 JE", "3581 KP"] },
  { city: "Den Haag", province: null, provinceCode: null, timezone: "Europe/Amsterdam", zips: ["2511 BT", "2514 EA", "2582 LB"] },
  { city: "Eindhoven", province: null, provinceCode: null, timezone: "Europe/Amsterdam", zips: ["5611 AB", "5616 HG", "5642 AA"] },
  { city: "Groningen", province: null, provinceCode: null, timezone: "Europe/Amsterdam", zips: ["9711 LP", "9712 HS", "9725 AJ"] },
];

const PT_CITIES: readonly CityInfo[] = [
  { city: "Lisboa", province: null, provinceCode: null, timezone: "Europe/Lisbon", zips: ["1100-053", "1200-109", "1250-096"] },
  { city: "Porto", province: null, provinceCode: null, timezone: "Europe/Lisbon", zips: ["4000-322", "4050-262", "4150-562"] },
  { city: "Braga", province: null, provinceCode: null, timezone: "Europe/Lisbon", zips: ["4700-035", "4710-228", "4715-213"] },
  { city: "Coimbra", province: null, provinceCode: null, timezone: "Europe/Lisbon", zips: ["3000-141", "3000-375", "3030-193"] },
  { city: "Faro", province: null, provinceCode: null, timezone: "Europe/Lisbon", zips: ["8000-138", "8000-290", "8005-139"] },
  { city: "Aveiro", province: null, provinceCode: null, timezone: "Europe/Lisbon", zips: ["3800-005", "3810-164", "3810-193"] },
];

export const LOCALES: readonly LocaleInfo[] = [
  {
    locale: "en-US",
    weight: 40,
    country: "United States",
    countryCode: "US",
    firstNames: ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Chris", "Karen", "Daniel", "Emily", "Matthew", "Ashley", "Anthony", "Olivia", "Ethan", "Madison", "Noah", "Sophia"],
    lastNames: ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Allen", "King", "Wright"],
    cities: US_CITIES,
    streets: ["Maple Street", "Oak Avenue", "Pine Street", "Cedar Lane", "Elm Street", "Washington Avenue", "Lake Street", "Hill Road", "Park Avenue", "Main Street", "Highland Avenue", "Church Street", "River Road", "Sunset Drive"],
    streetFormat: "number-street",
    secondLines: ["Apt 4B", "Apt 12", "Suite 210", "Unit 7", "Floor 3"],
    // 555-0100 to 555-0199 is reserved for fiction in every North American area code.
    phone: { prefixes: ["+120255501", "+131255501", "+141555501", "+150355501", "+161755501", "+173755501"], randomDigits: 2 },
  },
  {
    locale: "en-GB",
    weight: 12,
    country: "United Kingdom",
    countryCode: "GB",
    firstNames: ["Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia", "Charlie", "Grace", "Thomas", "Sophie", "Oscar", "Lily", "William", "Emily", "James", "Freya", "Alfie", "Poppy", "Henry", "Ella", "Archie", "Evie"],
    lastNames: ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Hughes", "Edwards", "O'Brien", "Patel"],
    cities: GB_CITIES,
    streets: ["High Street", "Station Road", "Church Lane", "Victoria Road", "Green Lane", "Manor Road", "Park Road", "King's Road", "Queen Street", "Mill Lane"],
    streetFormat: "number-street",
    secondLines: ["Flat 3", "Flat 12B", "Second Floor", "The Old Bakery"],
    // Ofcom reserves 07700 900000 to 900999 for drama.
    phone: { prefixes: ["+447700900"], randomDigits: 3 },
  },
  {
    locale: "es-ES",
    weight: 12,
    country: "Spain",
    countryCode: "ES",
    firstNames: ["Lucía", "Hugo", "Sofía", "Martín", "María", "Pablo", "Paula", "Daniel", "Julia", "Alejandro", "Carmen", "Javier", "Laura", "David", "Elena", "Carlos", "Marta", "Sergio", "Ana", "Álvaro", "Irene", "Diego", "Claudia", "Jorge"],
    lastNames: ["García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez"],
    cities: ES_CITIES,
    streets: ["Calle Mayor", "Calle Real", "Avenida de la Constitución", "Calle del Sol", "Calle Nueva", "Calle de la Paz", "Plaza de España", "Calle San Francisco", "Avenida de Andalucía", "Calle del Carmen"],
    streetFormat: "street-comma-number",
    secondLines: ["2º B", "3º Izquierda", "Bajo A", "Piso 4, Puerta 2"],
    phone: null,
  },
  {
    locale: "fr-FR",
    weight: 10,
    country: "France",
    countryCode: "FR",
    firstNames: ["Gabriel", "Louise", "Léo", "Jade", "Raphaël", "Ambre", "Arthur", "Emma", "Louis", "Alice", "Jules", "Chloé", "Adam", "Léa", "Lucas", "Manon", "Hugo", "Camille", "Nathan", "Inès", "Théo", "Zoé", "Paul", "Sarah"],
    lastNames: ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre"],
    cities: FR_CITIES,
    streets: ["rue de la République", "rue Victor Hugo", "avenue Jean Jaurès", "boulevard Voltaire", "rue des Lilas", "rue du Moulin", "place de la Mairie", "rue Pasteur", "rue de la Gare", "allée des Tilleuls"],
    streetFormat: "number-street",
    secondLines: ["Bâtiment B", "Appartement 12", "3e étage", "Résidence les Pins"],
    // ARCEP reserves 06 39 98 xx xx for works of fiction.
    phone: { prefixes: ["+3363998"], randomDigits: 4 },
  },
  {
    locale: "de-DE",
    weight: 10,
    country: "Germany",
    countryCode: "DE",
    firstNames: ["Noah", "Emilia", "Ben", "Mia", "Paul", "Sophia", "Leon", "Hannah", "Finn", "Emma", "Elias", "Lina", "Felix", "Marie", "Jonas", "Lea", "Lukas", "Anna", "Maximilian", "Clara", "Jan", "Laura", "Tim", "Katharina"],
    lastNames: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann"],
    cities: DE_CITIES,
    streets: ["Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Schulstraße", "Lindenstraße", "Bergstraße", "Kirchweg", "Am Markt", "Goethestraße", "Mühlenweg"],
    streetFormat: "street-number",
    secondLines: ["2. OG", "Hinterhaus", "Aufgang B", "3. OG links"],
    phone: null,
  },
  {
    locale: "it-IT",
    weight: 7,
    country: "Italy",
    countryCode: "IT",
    firstNames: ["Leonardo", "Sofia", "Francesco", "Giulia", "Alessandro", "Aurora", "Lorenzo", "Alice", "Mattia", "Ginevra", "Andrea", "Emma", "Gabriele", "Giorgia", "Tommaso", "Beatrice", "Riccardo", "Chiara", "Edoardo", "Martina", "Marco", "Francesca", "Luca", "Elena"],
    lastNames: ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani"],
    cities: IT_CITIES,
    streets: ["Via Roma", "Via Garibaldi", "Corso Italia", "Via Mazzini", "Via Dante", "Via Verdi", "Via Cavour", "Piazza della Repubblica", "Via XX Settembre", "Viale dei Mille"],
    streetFormat: "street-comma-number",
    secondLines: ["Scala B", "Interno 4", "Piano 2", "Scala A, Interno 9"],
    phone: null,
  },
  {
    locale: "nl-NL",
    weight: 5,
    country: "Netherlands",
    countryCode: "NL",
    firstNames: ["Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Levi", "Tess", "Finn", "Sophie", "Milan", "Zoë", "Bram", "Sara", "Thijs", "Anna", "Jesse", "Eva", "Ruben", "Lotte", "Lars", "Fleur", "Sven", "Noor"],
    lastNames: ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf"],
    cities: NL_CITIES,
    streets: ["Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsweg", "Schoolstraat", "Julianastraat", "Nieuwstraat", "Prinsengracht", "Wilhelminalaan", "Lindenlaan"],
    streetFormat: "street-number",
    secondLines: ["2 hoog", "Huis A", "3e verdieping", "Bovenwoning"],
    phone: null,
  },
  {
    locale: "pt-PT",
    weight: 4,
    country: "Portugal",
    countryCode: "PT",
    firstNames: ["Francisco", "Maria", "Santiago", "Leonor", "Afonso", "Matilde", "Tomás", "Beatriz", "Duarte", "Carolina", "Lourenço", "Mariana", "Gonçalo", "Inês", "Rodrigo", "Ana", "Miguel", "Sofia", "João", "Clara", "Pedro", "Marta", "Diogo", "Rita"],
    lastNames: ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Jesus", "Sousa", "Fernandes", "Gonçalves", "Gomes", "Lopes", "Marques", "Alves", "Almeida", "Ribeiro", "Pinto", "Carvalho", "Teixeira", "Moreira", "Correia", "Mendes"],
    cities: PT_CITIES,
    streets: ["Rua Augusta", "Rua das Flores", "Avenida da Liberdade", "Rua do Carmo", "Rua de Santa Catarina", "Rua Direita", "Rua da Prata", "Largo do Chafariz", "Rua do Comércio", "Avenida da República"],
    streetFormat: "street-comma-number",
    secondLines: ["2.º Esq.", "R/C Dto.", "3.º Frente", "1.º B"],
    phone: null,
  },
];

export const COMPANY_NAMES: readonly string[] = [
  "Blue Door Café",
  "Northwind Studio",
  "Atelier Nove",
  "Little Harbour Bakery",
  "Copperleaf Office",
  "Morning Room Co-working",
];

export const EMAIL_DOMAINS: readonly string[] = ["example.com", "example.net", "example.org"];

/** Lower-case ASCII for an e-mail local part: "Müller" → "muller", "O'Brien" → "obrien", "de Jong" → "dejong". */
export function emailWord(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/** IANA zones customers live in, with the daylight-saving rule they follow. */
export interface ZoneRule {
  standardOffsetMinutes: number;
  /** EU: last Sunday of March to last Sunday of October; US: second Sunday of March to first Sunday of November. */
  daylightSaving: "EU" | "US" | null;
}

export const TIME_ZONES: Readonly<Record<string, ZoneRule>> = {
  "America/New_York": { standardOffsetMinutes: -300, daylightSaving: "US" },
  "America/Chicago": { standardOffsetMinutes: -360, daylightSaving: "US" },
  "America/Denver": { standardOffsetMinutes: -420, daylightSaving: "US" },
  "America/Phoenix": { standardOffsetMinutes: -420, daylightSaving: null },
  "America/Los_Angeles": { standardOffsetMinutes: -480, daylightSaving: "US" },
  "Europe/London": { standardOffsetMinutes: 0, daylightSaving: "EU" },
  "Europe/Lisbon": { standardOffsetMinutes: 0, daylightSaving: "EU" },
  "Atlantic/Canary": { standardOffsetMinutes: 0, daylightSaving: "EU" },
  "Europe/Madrid": { standardOffsetMinutes: 60, daylightSaving: "EU" },
  "Europe/Paris": { standardOffsetMinutes: 60, daylightSaving: "EU" },
  "Europe/Berlin": { standardOffsetMinutes: 60, daylightSaving: "EU" },
  "Europe/Rome": { standardOffsetMinutes: 60, daylightSaving: "EU" },
  "Europe/Amsterdam": { standardOffsetMinutes: 60, daylightSaving: "EU" },
};

/** Where the shop itself is, by its currency (EUR and anything unknown: Madrid). */
export interface ShopLocation extends Omit<AddressRecord, "company"> {
  ianaTimezone: string;
  companySuffix: string;
}

export const SHOP_LOCATIONS: Readonly<Record<string, ShopLocation>> = {
  EUR: {
    ianaTimezone: "Europe/Madrid",
    companySuffix: "S.L.",
    address1: "Calle del Almendro, 14",
    address2: "Local 2",
    city: "Madrid",
    province: "Madrid",
    provinceCode: "M",
    zip: "28005",
    country: "Spain",
    countryCodeV2: "ES",
  },
  USD: {
    ianaTimezone: "America/Los_Angeles",
    companySuffix: "LLC",
    address1: "1450 Alder Street",
    address2: "Suite 300",
    city: "Portland",
    province: "Oregon",
    provinceCode: "OR",
    zip: "97205",
    country: "United States",
    countryCodeV2: "US",
  },
  GBP: {
    ianaTimezone: "Europe/London",
    companySuffix: "Ltd",
    address1: "27 Roastery Yard",
    address2: null,
    city: "Bristol",
    province: null,
    provinceCode: null,
    zip: "BS1 5DB",
    country: "United Kingdom",
    countryCodeV2: "GB",
  },
};

export interface VariantOption {
  title: string;
  /** Price relative to the product's base price. */
  priceFactor: number;
}

export interface ProductTypeInfo {
  name: string;
  /** SKU prefix. */
  code: string;
  /** Share of the catalogue, in percent. */
  weight: number;
  /** Replenished goods (beans, tea, filters, sweets) sell in larger quantities than gear. */
  consumable: boolean;
  vendors: readonly string[];
  /** A title is one word from each list, joined by spaces. */
  titleParts: readonly (readonly string[])[];
  /** Whole titles used instead, with their own collection (e.g. blends rather than single origins). */
  specialTitles: readonly string[];
  specialShare: number;
  primaryCollection: string;
  specialCollection: string;
  /** Base price range in cents, for the first variant. */
  basePriceCents: readonly [number, number];
  variantOptions: readonly VariantOption[];
  tags: readonly string[];
  /** Another type this one is often bought with, and how many of its products form such a pair. */
  bundleWith: string | null;
  bundleShare: number;
}

export const COLLECTIONS = {
  singleOrigin: "Single Origin",
  espresso: "Espresso & Blends",
  tea: "Tea Time",
  brewing: "Brew at Home",
  drinkware: "Mugs & Drinkware",
  gifts: "Gift Ideas",
  bestSellers: "Best Sellers",
  newArrivals: "New Arrivals",
} as const;

export const PRODUCT_TYPES: readonly ProductTypeInfo[] = [
  {
    name: "Coffee Beans",
    code: "COF",
    weight: 28,
    consumable: true,
    vendors: ["Harbor Roasters", "Alto Coffee Co.", "Cerro Verde Estates"],
    titleParts: [
      ["Ethiopia Yirgacheffe", "Ethiopia Guji", "Kenya Nyeri", "Colombia Huila", "Colombia Nariño", "Brazil Cerrado", "Guatemala Antigua", "Costa Rica Tarrazú", "Peru Cajamarca", "Rwanda Nyamasheke", "Honduras Marcala", "Sumatra Mandheling", "Panama Boquete", "El Salvador Santa Ana", "Burundi Kayanza", "Mexico Chiapas"],
      ["Washed", "Natural", "Honey"],
    ],
    specialTitles: ["House Espresso", "Morning Blend", "Dark Roast Blend", "Decaf Swiss Water", "Cold Brew Blend", "Breakfast Blend", "Night Owl Espresso", "Crema Espresso", "Sunday Blend"],
    specialShare: 0.3,
    primaryCollection: COLLECTIONS.singleOrigin,
    specialCollection: COLLECTIONS.espresso,
    basePriceCents: [850, 1690],
    variantOptions: [
      { title: "250 g", priceFactor: 1 },
      { title: "500 g", priceFactor: 1.85 },
      { title: "1 kg", priceFactor: 3.4 },
    ],
    tags: ["single-origin", "fair-trade", "organic", "light-roast", "medium-roast", "dark-roast", "filter", "espresso"],
    bundleWith: "Sweets & Syrups",
    bundleShare: 0.15,
  },
  {
    name: "Tea",
    code: "TEA",
    weight: 16,
    consumable: true,
    vendors: ["Leaf & Kettle", "Misty Peak Tea"],
    titleParts: [
      ["Sencha", "Gyokuro", "Darjeeling First Flush", "Assam Breakfast", "Earl Grey", "Jasmine Pearls", "Tie Guan Yin Oolong", "Rooibos Vanilla", "Chamomile", "Peppermint", "Masala Chai", "Genmaicha", "Lapsang Souchong", "Bai Mu Dan", "Ceremonial Matcha", "Hojicha"],
      ["Loose Leaf", "Reserve", "Organic", "Classic"],
    ],
    specialTitles: [],
    specialShare: 0,
    primaryCollection: COLLECTIONS.tea,
    specialCollection: COLLECTIONS.tea,
    basePriceCents: [450, 990],
    variantOptions: [
      { title: "50 g", priceFactor: 1 },
      { title: "100 g", priceFactor: 1.8 },
      { title: "250 g", priceFactor: 4 },
    ],
    tags: ["loose-leaf", "organic", "green-tea", "black-tea", "herbal", "caffeine-free"],
    bundleWith: "Mugs & Cups",
    bundleShare: 0.35,
  },
  {
    name: "Brewing Gear",
    code: "BRW",
    weight: 12,
    consumable: false,
    vendors: ["Brewline", "Kettleworks"],
    titleParts: [
      ["Classic", "Compact", "Nordic", "Studio", "Pro", "Everyday", "Alpine"],
      ["Pour-Over Dripper", "French Press", "Cold Brew Jar", "Moka Pot", "Gooseneck Kettle", "Glass Carafe", "Siphon Brewer", "Travel Press", "Milk Frother", "Brew Scale", "Tea Infuser"],
    ],
    specialTitles: [],
    specialShare: 0,
    primaryCollection: COLLECTIONS.brewing,
    specialCollection: COLLECTIONS.brewing,
    basePriceCents: [1900, 12000],
    variantOptions: [
      { title: "Black", priceFactor: 1 },
      { title: "White", priceFactor: 1 },
      { title: "Copper", priceFactor: 1.12 },
      { title: "Glass", priceFactor: 1.05 },
    ],
    tags: ["pour-over", "brewing", "barista", "gift"],
    bundleWith: "Filters",
    bundleShare: 1,
  },
  {
    name: "Grinders",
    code: "GRD",
    weight: 6,
    consumable: false,
    vendors: ["Burrwerk", "Brewline"],
    titleParts: [
      ["Mini", "Classic", "Pro", "Studio", "Precision", "Travel"],
      ["Hand Grinder", "Burr Grinder", "Conical Burr Grinder", "Flat Burr Grinder"],
    ],
    specialTitles: [],
    specialShare: 0,
    primaryCollection: COLLECTIONS.brewing,
    specialCollection: COLLECTIONS.brewing,
    basePriceCents: [3500, 16500],
    variantOptions: [
      { title: "Matte Black", priceFactor: 1 },
      { title: "Brushed Steel", priceFactor: 1.08 },
    ],
    tags: ["grinder", "barista", "espresso", "gift"],
    bundleWith: "Coffee Beans",
    bundleShare: 1,
  },
  {
    name: "Filters",
    code: "FLT",
    weight: 8,
    consumable: true,
    vendors: ["Brewline", "Paperleaf"],
    titleParts: [
      ["Paper Filters", "Unbleached Paper Filters", "Cloth Filters", "Metal Mesh Filter"],
      ["Size 01", "Size 02", "Size 4", "Flat Bottom", "Cone"],
    ],
    specialTitles: [],
    specialShare: 0,
    primaryCollection: COLLECTIONS.brewing,
    specialCollection: COLLECTIONS.brewing,
    basePriceCents: [400, 790],
    variantOptions: [
      { title: "100 pack", priceFactor: 1 },
      { title: "200 pack", priceFactor: 1.8 },
      { title: "500 pack", priceFactor: 4 },
    ],
    tags: ["filter", "pour-over", "compostable"],
    bundleWith: null,
    bundleShare: 0,
  },
  {
    name: "Mugs & Cups",
    code: "MUG",
    weight: 12,
    consumable: false,
    vendors: ["Clayhouse Ceramics", "Kiln & Co."],
    titleParts: [
      ["Speckled", "Glazed", "Matte", "Ripple", "Classic", "Handmade"],
      ["Stoneware Mug", "Espresso Cup Set", "Double-Wall Glass", "Travel Tumbler", "Cappuccino Cup", "Tea Bowl", "Latte Glass"],
    ],
    specialTitles: [],
    specialShare: 0,
    primaryCollection: COLLECTIONS.drinkware,
    specialCollection: COLLECTIONS.drinkware,
    basePriceCents: [900, 3200],
    variantOptions: [
      { title: "Speckled White", priceFactor: 1 },
      { title: "Charcoal", priceFactor: 1 },
      { title: "Sage", priceFactor: 1 },
      { title: "Terracotta", priceFactor: 1.05 },
    ],
    tags: ["ceramic", "handmade", "dishwasher-safe", "gift"],
    bundleWith: null,
    bundleShare: 0,
  },
  {
    name: "Gift Sets",
    code: "GFT",
    weight: 8,
    consumable: false,
    vendors: [],
    titleParts: [
      ["Coffee Discovery", "Tea Tasting", "Pour-Over Starter", "Espresso Lover's", "Holiday", "Cold Brew", "Tea Ceremony", "Origin Trio"],
      ["Box", "Set", "Kit", "Collection"],
    ],
    specialTitles: [],
    specialShare: 0,
    primaryCollection: COLLECTIONS.gifts,
    specialCollection: COLLECTIONS.gifts,
    basePriceCents: [2500, 8000],
    variantOptions: [{ title: "Default Title", priceFactor: 1 }],
    tags: ["gift", "holiday", "bestseller"],
    bundleWith: null,
    bundleShare: 0,
  },
  {
    name: "Sweets & Syrups",
    code: "SWT",
    weight: 10,
    consumable: true,
    vendors: ["Sweet Grounds", "Leaf & Kettle"],
    titleParts: [
      ["Organic", "Classic", "Salted", "Spiced", "Artisan"],
      ["Dark Chocolate Bar", "Almond Biscotti", "Caramel Syrup", "Vanilla Syrup", "Hazelnut Syrup", "Stroopwafels", "Cocoa Powder", "Honey Jar"],
    ],
    specialTitles: [],
    specialShare: 0,
    primaryCollection: COLLECTIONS.gifts,
    specialCollection: COLLECTIONS.gifts,
    basePriceCents: [400, 1200],
    variantOptions: [
      { title: "Single", priceFactor: 1 },
      { title: "Pack of 3", priceFactor: 2.7 },
    ],
    tags: ["sweet", "vegan", "treat", "gift"],
    bundleWith: null,
    bundleShare: 0,
  },
];

/** Discount codes orders use, with their percentage off the line items. */
export const DISCOUNT_CODES = {
  welcome: { code: "WELCOME10", percent: 10 },
  blackFriday: { code: "BFCM20", percent: 20 },
  spring: { code: "SPRING15", percent: 15 },
  summer: { code: "SUMMER10", percent: 10 },
} as const;
