#!/usr/bin/env python3
"""Writes a realistic contacts CSV for the import benchmark: 6 columns (email, first_name, last_name,
country, city, signup_date), semicolon-separated as Spanish spreadsheets write it, UTF-8 with accents,
and 1% bad rows (broken addresses, a missing field, a stray quote). Deterministic for a given seed.

    generate-contacts.py ROWS OUT.csv [SEED]
"""
import random
import sys

FIRST = ["Ana", "José", "María", "Lucía", "Carlos", "Javier", "Marta", "Sofía", "Pablo", "Elena", "Álvaro",
         "Nuria", "Íñigo", "Begoña", "Raúl", "Carmen", "Andrés", "Inés", "Jorge", "Paula", "João", "Margarida"]
LAST = ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
        "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Ibáñez",
        "Silva", "Santos", "Ferreira"]
CITIES = [("ES", "Madrid"), ("ES", "Barcelona"), ("ES", "Sevilla"), ("ES", "Valencia"), ("ES", "A Coruña"),
          ("ES", "Málaga"), ("ES", "Bilbao"), ("PT", "Lisboa"), ("PT", "Porto"), ("MX", "Ciudad de México"),
          ("AR", "Buenos Aires"), ("FR", "Toulouse")]
PROVIDERS = ["gmail.com", "hotmail.com", "hotmail.es", "outlook.com", "yahoo.es", "icloud.com", "telefonica.net",
             "gmx.es", "protonmail.com"]
COMPANIES = [f"empresa{i}.es" for i in range(200)]


def strip(s):
    table = str.maketrans("áéíóúñçÁÉÍÓÚÑÇàâãõ", "aeiouncAEIOUNCaaao")
    return s.translate(table).lower().replace(" ", "")


def main():
    rows = int(sys.argv[1])
    out = sys.argv[2]
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 2026)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("email;first_name;last_name;country;city;signup_date\n")
        for i in range(rows):
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            country, city = rnd.choice(CITIES)
            domain = rnd.choice(PROVIDERS) if rnd.random() < 0.7 else rnd.choice(COMPANIES)
            email = f"{strip(first)}.{strip(last)}{i}@{domain}"
            date = f"20{rnd.randint(15, 25):02d}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            if i % 100 == 37:
                kind = (i // 100) % 3
                if kind == 0:
                    email = email.replace("@", "@@")
                    f.write(f"{email};{first};{last};{country};{city};{date}\n")
                elif kind == 1:
                    f.write(f"{email};{first};{last};{country};{city}\n")
                else:
                    f.write(f"{email};{first} \"el\" {last};{last};{country};{city};{date}\n")
                continue
            f.write(f"{email};{first};{last};{country};\"{city}\";{date}\n")


if __name__ == "__main__":
    main()
