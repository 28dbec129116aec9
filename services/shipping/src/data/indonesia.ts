// Indonesia's 38 provinces with their cities (kota) and main regencies (kabupaten), as the
// rate tables need them: the island group decides the shipping zone, the UTC offset the local
// time of pickup and delivery windows. Data only; the rules live in src/domain.

/** One province: its island group (for zones), UTC offset in hours, and cities/regencies. */
export interface ProvinceData {
  name: string;
  /** Other spellings people use ("Jabar", "DIY"). */
  aliases?: string[];
  island: string;
  utcOffsetHours: 7 | 8 | 9;
  /** Full official names: "Kota Bandung", "Kabupaten Bandung", "Kota Administrasi Jakarta Selatan". */
  cities: string[];
}

const kota = (...names: string[]) => names.map((n) => `Kota ${n}`);
const kab = (...names: string[]) => names.map((n) => `Kabupaten ${n}`);

export const PROVINCES: readonly ProvinceData[] = [
  {
    name: "Aceh",
    aliases: ["Nanggroe Aceh Darussalam", "NAD"],
    island: "sumatera",
    utcOffsetHours: 7,
    cities: [
      ...kota("Banda Aceh", "Sabang", "Langsa", "Lhokseumawe", "Subulussalam"),
      ...kab("Aceh Besar", "Aceh Tengah", "Aceh Utara", "Pidie", "Bireuen", "Aceh Barat"),
    ],
  },
  {
    name: "Sumatera Utara",
    aliases: ["Sumut", "North Sumatra"],
    island: "sumatera",
    utcOffsetHours: 7,
    cities: [
      ...kota(
        "Medan",
        "Binjai",
        "Pematangsiantar",
        "Tebing Tinggi",
        "Tanjungbalai",
        "Sibolga",
        "Padangsidimpuan",
        "Gunungsitoli",
      ),
      ...kab(
        "Deli Serdang",
        "Langkat",
        "Karo",
        "Simalungun",
        "Toba",
        "Asahan",
        "Labuhanbatu",
        "Serdang Bedagai",
      ),
    ],
  },
  {
    name: "Sumatera Barat",
    aliases: ["Sumbar", "West Sumatra"],
    island: "sumatera",
    utcOffsetHours: 7,
    cities: [
      ...kota("Padang", "Bukittinggi", "Padang Panjang", "Payakumbuh", "Pariaman", "Sawahlunto", "Solok"),
      ...kab("Agam", "Tanah Datar", "Padang Pariaman", "Pesisir Selatan", "Lima Puluh Kota"),
    ],
  },
  {
    name: "Riau",
    island: "sumatera",
    utcOffsetHours: 7,
    cities: [
      ...kota("Pekanbaru", "Dumai"),
      ...kab("Kampar", "Siak", "Bengkalis", "Indragiri Hilir", "Indragiri Hulu", "Pelalawan", "Rokan Hulu"),
    ],
  },
  {
    name: "Kepulauan Riau",
    aliases: ["Kepri", "Riau Islands"],
    island: "kepulauan-riau",
    utcOffsetHours: 7,
    cities: [
      ...kota("Batam", "Tanjungpinang"),
      ...kab("Bintan", "Karimun", "Lingga", "Natuna", "Kepulauan Anambas"),
    ],
  },
  {
    name: "Jambi",
    island: "sumatera",
    utcOffsetHours: 7,
    cities: [
      ...kota("Jambi", "Sungai Penuh"),
      ...kab("Muaro Jambi", "Kerinci", "Bungo", "Merangin", "Batanghari"),
    ],
  },
  {
    name: "Sumatera Selatan",
    aliases: ["Sumsel", "South Sumatra"],
    island: "sumatera",
    utcOffsetHours: 7,
    cities: [
      ...kota("Palembang", "Prabumulih", "Lubuklinggau", "Pagar Alam"),
      ...kab("Ogan Komering Ilir", "Ogan Ilir", "Muara Enim", "Banyuasin", "Musi Banyuasin", "Lahat"),
    ],
  },
  {
    name: "Kepulauan Bangka Belitung",
    aliases: ["Bangka Belitung", "Babel"],
    island: "bangka-belitung",
    utcOffsetHours: 7,
    cities: [
      ...kota("Pangkalpinang"),
      ...kab("Bangka", "Belitung", "Bangka Barat", "Bangka Tengah", "Belitung Timur"),
    ],
  },
  {
    name: "Bengkulu",
    island: "sumatera",
    utcOffsetHours: 7,
    cities: [...kota("Bengkulu"), ...kab("Rejang Lebong", "Bengkulu Utara", "Seluma", "Mukomuko")],
  },
  {
    name: "Lampung",
    island: "sumatera",
    utcOffsetHours: 7,
    cities: [
      ...kota("Bandar Lampung", "Metro"),
      ...kab("Lampung Selatan", "Lampung Tengah", "Pringsewu", "Pesawaran", "Tanggamus"),
    ],
  },
  {
    name: "DKI Jakarta",
    aliases: ["Jakarta", "Daerah Khusus Ibukota Jakarta"],
    island: "jawa",
    utcOffsetHours: 7,
    cities: [
      "Kota Administrasi Jakarta Pusat",
      "Kota Administrasi Jakarta Utara",
      "Kota Administrasi Jakarta Barat",
      "Kota Administrasi Jakarta Selatan",
      "Kota Administrasi Jakarta Timur",
      "Kabupaten Administrasi Kepulauan Seribu",
    ],
  },
  {
    name: "Jawa Barat",
    aliases: ["Jabar", "West Java"],
    island: "jawa",
    utcOffsetHours: 7,
    cities: [
      ...kota(
        "Bandung",
        "Bekasi",
        "Bogor",
        "Cimahi",
        "Cirebon",
        "Depok",
        "Sukabumi",
        "Tasikmalaya",
        "Banjar",
      ),
      ...kab(
        "Bandung",
        "Bandung Barat",
        "Bekasi",
        "Bogor",
        "Cianjur",
        "Cirebon",
        "Garut",
        "Karawang",
        "Purwakarta",
        "Subang",
        "Sukabumi",
        "Sumedang",
        "Tasikmalaya",
        "Indramayu",
        "Kuningan",
        "Majalengka",
      ),
    ],
  },
  {
    name: "Banten",
    island: "jawa",
    utcOffsetHours: 7,
    cities: [
      ...kota("Serang", "Cilegon", "Tangerang", "Tangerang Selatan"),
      ...kab("Serang", "Tangerang", "Lebak", "Pandeglang"),
    ],
  },
  {
    name: "Jawa Tengah",
    aliases: ["Jateng", "Central Java"],
    island: "jawa",
    utcOffsetHours: 7,
    cities: [
      ...kota("Semarang", "Surakarta", "Magelang", "Salatiga", "Pekalongan", "Tegal"),
      ...kab(
        "Semarang",
        "Kudus",
        "Jepara",
        "Demak",
        "Klaten",
        "Sukoharjo",
        "Karanganyar",
        "Boyolali",
        "Banyumas",
        "Cilacap",
        "Kendal",
        "Magelang",
        "Pati",
        "Purworejo",
        "Kebumen",
        "Wonosobo",
      ),
    ],
  },
  {
    name: "DI Yogyakarta",
    aliases: ["Daerah Istimewa Yogyakarta", "DIY", "Yogyakarta"],
    island: "jawa",
    utcOffsetHours: 7,
    cities: [...kota("Yogyakarta"), ...kab("Sleman", "Bantul", "Kulon Progo", "Gunungkidul")],
  },
  {
    name: "Jawa Timur",
    aliases: ["Jatim", "East Java"],
    island: "jawa",
    utcOffsetHours: 7,
    cities: [
      ...kota(
        "Surabaya",
        "Malang",
        "Batu",
        "Kediri",
        "Blitar",
        "Madiun",
        "Mojokerto",
        "Pasuruan",
        "Probolinggo",
      ),
      ...kab(
        "Sidoarjo",
        "Gresik",
        "Malang",
        "Mojokerto",
        "Pasuruan",
        "Jember",
        "Banyuwangi",
        "Kediri",
        "Lamongan",
        "Tuban",
        "Bojonegoro",
        "Jombang",
        "Ponorogo",
        "Sumenep",
        "Bangkalan",
      ),
    ],
  },
  {
    name: "Bali",
    island: "bali",
    utcOffsetHours: 8,
    cities: [
      ...kota("Denpasar"),
      ...kab("Badung", "Gianyar", "Tabanan", "Buleleng", "Karangasem", "Klungkung", "Bangli", "Jembrana"),
    ],
  },
  {
    name: "Nusa Tenggara Barat",
    aliases: ["NTB", "West Nusa Tenggara"],
    island: "nusa-tenggara",
    utcOffsetHours: 8,
    cities: [
      ...kota("Mataram", "Bima"),
      ...kab("Lombok Barat", "Lombok Tengah", "Lombok Timur", "Lombok Utara", "Sumbawa", "Dompu", "Bima"),
    ],
  },
  {
    name: "Nusa Tenggara Timur",
    aliases: ["NTT", "East Nusa Tenggara"],
    island: "nusa-tenggara",
    utcOffsetHours: 8,
    cities: [
      ...kota("Kupang"),
      ...kab("Kupang", "Manggarai Barat", "Sikka", "Ende", "Sumba Timur", "Belu", "Timor Tengah Selatan"),
    ],
  },
  {
    name: "Kalimantan Barat",
    aliases: ["Kalbar", "West Kalimantan"],
    island: "kalimantan",
    utcOffsetHours: 7,
    cities: [
      ...kota("Pontianak", "Singkawang"),
      ...kab("Kubu Raya", "Mempawah", "Sambas", "Ketapang", "Sanggau", "Sintang"),
    ],
  },
  {
    name: "Kalimantan Tengah",
    aliases: ["Kalteng", "Central Kalimantan"],
    island: "kalimantan",
    utcOffsetHours: 7,
    cities: [
      ...kota("Palangka Raya"),
      ...kab("Kotawaringin Barat", "Kotawaringin Timur", "Kapuas", "Barito Utara"),
    ],
  },
  {
    name: "Kalimantan Selatan",
    aliases: ["Kalsel", "South Kalimantan"],
    island: "kalimantan",
    utcOffsetHours: 8,
    cities: [
      ...kota("Banjarmasin", "Banjarbaru"),
      ...kab("Banjar", "Tanah Laut", "Kotabaru", "Tabalong", "Barito Kuala"),
    ],
  },
  {
    name: "Kalimantan Timur",
    aliases: ["Kaltim", "East Kalimantan"],
    island: "kalimantan",
    utcOffsetHours: 8,
    cities: [
      ...kota("Samarinda", "Balikpapan", "Bontang"),
      ...kab("Kutai Kartanegara", "Kutai Timur", "Berau", "Paser", "Penajam Paser Utara"),
    ],
  },
  {
    name: "Kalimantan Utara",
    aliases: ["Kaltara", "North Kalimantan"],
    island: "kalimantan",
    utcOffsetHours: 8,
    cities: [...kota("Tarakan"), ...kab("Bulungan", "Nunukan", "Malinau")],
  },
  {
    name: "Sulawesi Utara",
    aliases: ["Sulut", "North Sulawesi"],
    island: "sulawesi",
    utcOffsetHours: 8,
    cities: [
      ...kota("Manado", "Bitung", "Tomohon", "Kotamobagu"),
      ...kab("Minahasa", "Minahasa Utara", "Minahasa Selatan", "Bolaang Mongondow"),
    ],
  },
  {
    name: "Gorontalo",
    island: "sulawesi",
    utcOffsetHours: 8,
    cities: [...kota("Gorontalo"), ...kab("Gorontalo", "Bone Bolango", "Pohuwato", "Boalemo")],
  },
  {
    name: "Sulawesi Tengah",
    aliases: ["Sulteng", "Central Sulawesi"],
    island: "sulawesi",
    utcOffsetHours: 8,
    cities: [...kota("Palu"), ...kab("Donggala", "Sigi", "Poso", "Banggai", "Parigi Moutong", "Morowali")],
  },
  {
    name: "Sulawesi Barat",
    aliases: ["Sulbar", "West Sulawesi"],
    island: "sulawesi",
    utcOffsetHours: 8,
    cities: kab("Mamuju", "Majene", "Polewali Mandar", "Pasangkayu", "Mamasa"),
  },
  {
    name: "Sulawesi Selatan",
    aliases: ["Sulsel", "South Sulawesi"],
    island: "sulawesi",
    utcOffsetHours: 8,
    cities: [
      ...kota("Makassar", "Parepare", "Palopo"),
      ...kab(
        "Gowa",
        "Maros",
        "Bone",
        "Takalar",
        "Pangkajene dan Kepulauan",
        "Bulukumba",
        "Sidenreng Rappang",
        "Luwu Timur",
        "Wajo",
        "Toraja Utara",
        "Tana Toraja",
      ),
    ],
  },
  {
    name: "Sulawesi Tenggara",
    aliases: ["Sultra", "Southeast Sulawesi"],
    island: "sulawesi",
    utcOffsetHours: 8,
    cities: [...kota("Kendari", "Baubau"), ...kab("Konawe", "Kolaka", "Muna", "Buton", "Konawe Selatan")],
  },
  {
    name: "Maluku",
    island: "maluku",
    utcOffsetHours: 9,
    cities: [
      ...kota("Ambon", "Tual"),
      ...kab("Maluku Tengah", "Seram Bagian Barat", "Kepulauan Aru", "Buru", "Maluku Tenggara"),
    ],
  },
  {
    name: "Maluku Utara",
    aliases: ["Malut", "North Maluku"],
    island: "maluku",
    utcOffsetHours: 9,
    cities: [
      ...kota("Ternate", "Tidore Kepulauan"),
      ...kab("Halmahera Utara", "Halmahera Barat", "Halmahera Selatan", "Halmahera Tengah", "Kepulauan Sula"),
    ],
  },
  {
    name: "Papua",
    island: "papua",
    utcOffsetHours: 9,
    cities: [
      ...kota("Jayapura"),
      ...kab(
        "Jayapura",
        "Keerom",
        "Sarmi",
        "Biak Numfor",
        "Kepulauan Yapen",
        "Waropen",
        "Supiori",
        "Mamberamo Raya",
      ),
    ],
  },
  {
    name: "Papua Barat",
    aliases: ["West Papua"],
    island: "papua",
    utcOffsetHours: 9,
    cities: kab(
      "Manokwari",
      "Manokwari Selatan",
      "Teluk Bintuni",
      "Teluk Wondama",
      "Fakfak",
      "Kaimana",
      "Pegunungan Arfak",
    ),
  },
  {
    name: "Papua Selatan",
    aliases: ["South Papua"],
    island: "papua",
    utcOffsetHours: 9,
    cities: kab("Merauke", "Boven Digoel", "Mappi", "Asmat"),
  },
  {
    name: "Papua Tengah",
    aliases: ["Central Papua"],
    island: "papua",
    utcOffsetHours: 9,
    cities: kab("Nabire", "Mimika", "Paniai", "Puncak Jaya", "Dogiyai", "Intan Jaya", "Deiyai", "Puncak"),
  },
  {
    name: "Papua Pegunungan",
    aliases: ["Highland Papua"],
    island: "papua",
    utcOffsetHours: 9,
    cities: kab(
      "Jayawijaya",
      "Lanny Jaya",
      "Tolikara",
      "Yahukimo",
      "Pegunungan Bintang",
      "Mamberamo Tengah",
      "Yalimo",
      "Nduga",
    ),
  },
  {
    name: "Papua Barat Daya",
    aliases: ["Southwest Papua"],
    island: "papua",
    utcOffsetHours: 9,
    cities: [...kota("Sorong"), ...kab("Sorong", "Raja Ampat", "Sorong Selatan", "Maybrat", "Tambrauw")],
  },
];

/** Everyday names for a city or regency that its official name does not contain. */
export const CITY_ALIASES: Readonly<Record<string, string>> = {
  Solo: "Kota Surakarta",
  Jogja: "Kota Yogyakarta",
  Jogjakarta: "Kota Yogyakarta",
  Takengon: "Kabupaten Aceh Tengah",
  Tangsel: "Kota Tangerang Selatan",
  Cikarang: "Kabupaten Bekasi",
  Cibinong: "Kabupaten Bogor",
  Siantar: "Kota Pematangsiantar",
  Palangkaraya: "Kota Palangka Raya",
  "Pangkal Pinang": "Kota Pangkalpinang",
  "Tanjung Pinang": "Kota Tanjungpinang",
  "Bau Bau": "Kota Baubau",
  Tidore: "Kota Tidore Kepulauan",
  Timika: "Kabupaten Mimika",
  Wamena: "Kabupaten Jayawijaya",
  "Labuan Bajo": "Kabupaten Manggarai Barat",
};

/** Island groups whose routes to anywhere else are priced as "remote". */
export const REMOTE_ISLANDS: readonly string[] = ["maluku", "papua"];
