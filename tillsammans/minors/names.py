"""Synthetic names for the demo's and the benchmark's unaccompanied young people (seed 003:
most came from Afghanistan, Syria, Somalia and Eritrea), each as written and with the Latin
spellings a passport or a Swedish official might use. Common names, no real person."""

# (as written, Latin spellings): Dari and Arabic in Arabic script.
ARABIC_FIRST = [
    ("محمد", ("Mohammad", "Mohammed", "Muhammad")), ("علی", ("Ali",)),
    ("احمد", ("Ahmad", "Ahmed")), ("حسین", ("Hossein", "Hussein", "Husain")),
    ("رضا", ("Reza", "Raza")), ("مصطفی", ("Mustafa", "Mostafa")),
    ("عبدالله", ("Abdullah", "Abdallah")), ("یوسف", ("Yousef", "Yusuf")),
    ("محمود", ("Mahmoud", "Mahmud")), ("حسن", ("Hassan", "Hasan")),
    ("جواد", ("Javad", "Jawad")), ("مهدی", ("Mahdi", "Mehdi")),
    ("عمر", ("Omar", "Umar")), ("ابراهیم", ("Ibrahim", "Ebrahim")),
    ("فاطمه", ("Fatemeh", "Fatima")), ("زینب", ("Zainab", "Zeinab")),
]  # fmt: skip
ARABIC_LAST = [
    ("احمدی", ("Ahmadi",)), ("حسینی", ("Hosseini", "Husaini")), ("محمدی", ("Mohammadi",)),
    ("رحیمی", ("Rahimi",)), ("کریمی", ("Karimi",)), ("نوری", ("Nouri", "Noori")),
    ("حیدری", ("Heidari", "Haidari")), ("عزیزی", ("Azizi",)), ("صافی", ("Safi",)),
    ("جعفری", ("Jafari", "Jafary")), ("الحسن", ("Alhassan", "Al-Hassan")),
    ("الخطیب", ("Alkhatib", "Al-Khatib")),
]  # fmt: skip
# Tigrinya in Ge'ez.
GEEZ_FIRST = [
    ("ዮናስ", ("Yonas",)), ("ሰላም", ("Selam",)), ("ብርሃነ", ("Berhane", "Birhane")),
    ("ኣብርሃም", ("Abraham",)), ("ዳኒኤል", ("Daniel",)), ("ሄኖክ", ("Henok",)),
]  # fmt: skip
GEEZ_LAST = [
    ("ተስፋይ", ("Tesfay", "Tesfai")), ("ሃይለ", ("Haile",)), ("ገብረ", ("Gebre", "Gebru")),
    ("ወልደ", ("Welde", "Weldu")), ("ኪዳነ", ("Kidane",)),
]  # fmt: skip
# Somali is written in Latin letters.
SOMALI_FIRST = ["Mohamed", "Abdi", "Hassan", "Ahmed", "Abdirahman", "Hodan", "Faadumo"]
SOMALI_LAST = ["Abdi", "Ali", "Hassan", "Warsame", "Farah", "Omar", "Yusuf"]
