"""The demo proposals of Riverbend, played through the services by ``projects.demo``.

Each entry: title (the demo's identity: keep it stable), summary, body (Markdown),
sectors, lead organisation, partners as (organisation, role, contribution, answer),
delivery model, money in CAD (capital, operating per year, amount asked of the
city), expected impacts as (indicator, amount, unit, year), district and optional
map point, the status to reach, its age in days, the coordinator's public answers by
status, and optionally ``edit``: the values before a post-submission edit, with the
note the author gave.

All figures are invented for the demo, but sized to be plausible for a Canadian city
of about 600,000 people.
"""

from __future__ import annotations

from typing import Any

# Organisations (created by stakeholders/demo.py).
SOLAR = "SolarRoof Collective"
UTILITY = "Riverbend Energy & Water"
HOMES = "Harbourline Homes"
CAPITAL = "Green Bridge Capital"
BUILDERS = "Northgate Builders"
CIVITAS = "Atelier Civitas Engineering"
CYCLE = "Cycle Together"
LAB = "Riverbend University Urban Lab"
SHARE = "ShareWheels"
COMPOST = "Compost & Co"
HEALTHY = "Healthy Streets Alliance"
DATA_CENTRE = "Harbour Data Centre"

# Partner answers.
ACCEPTED = "accepted"
INVITED = "invited"
DECLINED = "declined"

PROPOSALS: list[dict[str, Any]] = [
    {
        "title": "Rooftop solar on 14 Harbourline social-housing blocks, with bill credits for tenants",
        "summary": "SolarRoof Collective, Riverbend Energy & Water and Harbourline Homes propose to re-roof and equip 14 social-housing blocks in Riverside with 2.5 MW of solar panels, and to return part of the income from the power sold to the grid to the 620 households as a monthly credit on their electricity bill.",
        "sectors": ["energy", "housing", "finance"],
        "lead": SOLAR,
        "partners": [
            (
                HOMES,
                "partner",
                "Re-roofing of nine worn roofs, roof access and a 25-year lease of the roof surface.",
                ACCEPTED,
            ),
            (
                UTILITY,
                "operator",
                "Grid connection, one meter per block, net-metering contract and monthly settlement.",
                ACCEPTED,
            ),
            (
                CAPITAL,
                "financer",
                "Senior loan covering 70 % of the capital cost over 18 years.",
                ACCEPTED,
            ),
        ],
        "delivery": "ppp",
        "capital": 6_100_000,
        "operating": 64_000,
        "ask": 750_000,
        "impacts": [
            ("energy_produced", 2900, "mwh_per_year", 2027),
            ("homes", 620, "homes", 2027),
            ("co2_avoided", 130, "t_co2_per_year", 2027),
        ],
        "district": "Riverside",
        "point": ("45.487100", "-73.603400"),
        "status": "shortlisted",
        "age": 214,
        "answers": {
            "shortlisted": "Shortlisted. Re-roofing and solar on social housing answers two of our priorities at once: lower emissions and lower energy bills for low-income households. Before a decision we need the structural survey of blocks 4 and 11 and the signed roof lease.",
        },
        "edit": {
            "note": "Capital cost revised after the utility's connection study: two transformers need upgrading.",
            "before": {"capital_cost": 5_400_000},
        },
        "body": """
## Context

Harbourline's Riverside estate has 14 flat-roofed blocks built between 1962 and 1978. Nine of the roofs reach the end of their life before 2030, and tenants there spend on average 7 % of their income on electricity, against 3 % across the city. The roofs are not shaded by taller buildings and sit within 400 m of two substations with spare capacity, a rare combination in Riverbend.

## What we propose

- Re-roof the nine worn roofs, with insulation to the current code, before the panels go on, so that the roofs are opened only once.
- Install 2.5 MWp of panels across the 14 roofs (about 12,400 m² of usable surface).
- Connect them under the utility's net-metering tariff, with one meter per block.
- Return 35 % of the net income to tenants as a flat monthly credit (about 14 CAD per home) for the 25-year life of the system.
- Train six residents as building energy stewards who report faults and explain the credit to their neighbours.

## Who does what

| Organisation | Role |
| --- | --- |
| SolarRoof Collective | designs, installs and operates the panels; tenant information |
| Harbourline Homes | re-roofing works, roof access, 25-year roof lease |
| Riverbend Energy & Water | grid connection, metering, net-metering settlement |
| Green Bridge Capital | senior loan for 70 % of the capital cost |

The city's contribution pays for the structural surveys and for the share of re-roofing that goes beyond ordinary maintenance.

## Timeline

1. Months 1–3: structural surveys and connection agreements.
2. Months 4–9: re-roofing of the first five blocks, panels on the five roofs that need no works.
3. Months 10–20: remaining roofs, commissioning, first tenant credits.

## Risks

The main risk is structural: two blocks may need reinforcement, priced in as an 8 % contingency. Winter output is the second: snow cuts January yield by about half, which the financial model already assumes. Tenant credits are written into the leases, so they survive a change of owner or operator.
""",
    },
    {
        "title": "Turn two floors of the Market Street car park into small homes, with shared cars for the neighbourhood",
        "summary": "The 1974 Market Street car park in Old Town is less than half full on weekdays. Harbourline Homes proposes to convert its two upper levels into 48 studios and one-bedroom homes at below-market rents, keep the ground floor for parking with 12 ShareWheels cars and EV chargers, and give every new tenant a car-sharing membership instead of a parking space.",
        "sectors": ["housing", "mobility", "buildings"],
        "lead": HOMES,
        "partners": [
            (
                SHARE,
                "operator",
                "Twelve shared cars on the ground floor, free membership for tenants for three years.",
                ACCEPTED,
            ),
            (
                BUILDERS,
                "partner",
                "Conversion works, facade openings and the new timber-framed partitions.",
                ACCEPTED,
            ),
            (
                CAPITAL,
                "financer",
                "Possible mezzanine loan once the planning permission is granted.",
                INVITED,
            ),
        ],
        "delivery": "private_investment",
        "capital": 14_200_000,
        "operating": 310_000,
        "ask": 1_500_000,
        "impacts": [
            ("homes", 48, "homes", 2028),
            ("car_trips_avoided", 95000, "trips_per_year", 2028),
            ("residents_served", 80, "people", 2028),
        ],
        "district": "Old Town",
        "point": ("45.505800", "-73.554100"),
        "status": "under_review",
        "age": 176,
        "edit": {
            "note": "Layout revised after the fire-egress review: 48 homes instead of 44, and the impacts updated.",
            "before": {
                "summary": "The 1974 Market Street car park in Old Town is less than half full on weekdays. Harbourline Homes proposes to convert its two upper levels into 44 studios and one-bedroom homes at below-market rents, keep the ground floor for parking with 12 ShareWheels cars and EV chargers, and give every new tenant a car-sharing membership instead of a parking space."
            },
            "impacts_before": [
                ("homes", 44, "homes", 2028),
                ("car_trips_avoided", 88000, "trips_per_year", 2028),
                ("residents_served", 72, "people", 2028),
            ],
        },
        "body": """
## Context

Harbourline Homes bought the Market Street car park in 2019 with the block around it. Counts made over twelve weeks show 41 % occupancy on weekdays and 58 % on Saturdays: the 410 spaces were sized for a shopping street that now has a tram stop at its end. Meanwhile Old Town has one of the longest waiting lists for small affordable homes in the city.

## What we propose

- Convert levels 3 and 4 (about 5,200 m²) into 48 homes: 30 studios and 18 one-bedroom flats, rented 25 % below the market for at least 30 years.
- Open the concrete facades for windows and balconies; add a light well in the middle of the slab.
- Keep 120 spaces on the ground floor and level 2, of which 12 are reserved for ShareWheels cars and 20 have chargers.
- Give each new household a car-sharing membership and a transit pass for three years instead of a parking space.
- Green the roof deck as a shared garden for tenants.

## Who does what

- **Harbourline Homes**: owner, developer and landlord.
- **Northgate Builders**: conversion works; timber-framed partitions keep the loads low.
- **ShareWheels**: operates the shared cars and reports monthly use.
- **City of Riverbend**: waiver of the parking minimum for the new homes, and a contribution to the street-level works (wider sidewalk, bike parking, tram-stop access).

## Timeline

Planning permission in six months, works over 16 months, first tenants about two years after approval.

## Risks

The clear height of level 3 is only 2.55 m, which rules out raised floors: services run in the ceilings of level 2. Fire egress needed two new stairs, which is why the layout was revised. If car-share use stays low, the cars are reduced and the spaces return to public parking; the homes do not depend on it.
""",
    },
    {
        "title": "District heat network for the Harbour district, fed by the waste heat of the harbour data centre",
        "summary": "The harbour data centre rejects about 10 MW of low-grade heat into the air all year. With heat pumps to lift it to 70 °C and a 6.2 km network, it can heat 3,000 homes, two schools and the harbour swimming pool, replacing gas boilers. Financed by a green bond, operated by the city's utility.",
        "sectors": ["energy", "buildings", "digital", "finance"],
        "lead": DATA_CENTRE,
        "partners": [
            (
                UTILITY,
                "operator",
                "Builds and operates the heat pumps and the network; bills customers at a regulated tariff.",
                ACCEPTED,
            ),
            (
                CAPITAL,
                "financer",
                "Structures and places a 30 M CAD green bond, with annual impact reporting.",
                ACCEPTED,
            ),
            (
                HOMES,
                "partner",
                "Anchor customer: connects 1,100 homes in its Harbour buildings in the first phase.",
                ACCEPTED,
            ),
            (
                LAB,
                "research",
                "Monitors temperatures and savings, publishes an open data set each year.",
                ACCEPTED,
            ),
        ],
        "delivery": "bond",
        "capital": 38_500_000,
        "operating": 1_350_000,
        "ask": 6_000_000,
        "impacts": [
            ("co2_avoided", 8900, "t_co2_per_year", 2029),
            ("energy_saved", 36000, "mwh_per_year", 2029),
            ("residents_served", 6500, "people", 2029),
        ],
        "district": "Harbour",
        "point": ("45.496800", "-73.543200"),
        "status": "accepted",
        "age": 236,
        "answers": {
            "shortlisted": "Shortlisted. This is the largest emission cut proposed in the Harbour district and it reuses infrastructure that already runs. We will ask Council to consider a contribution to the street works.",
            "accepted": "Accepted. Council approved a contribution of 6 M CAD for the street works of the first phase, coordinated with the sewer renewal on Dock Road so the streets are opened only once. The utility will publish the heat tariff for consultation before any connection contract is signed, and the city will report progress on this page every quarter. Thank you to the consortium and to the residents who came to the two information evenings.",
        },
        "body": """
## Context

The harbour data centre runs 12 MW of IT load. Almost all of it ends up as heat at 30–35 °C, blown into the air by dry coolers on the roof, summer and winter. Two streets away, about 3,000 homes, two schools and the harbour pool burn natural gas in individual boilers, most of them over 20 years old.

## What we propose

- Capture the heat at the data centre's cooling loop through heat exchangers (no change to the servers' cooling).
- Lift it to 70 °C with 8 MW of large heat pumps in a new energy centre on the utility's Dock Road site.
- Build a 6.2 km pre-insulated network in two phases, with substations in each connected building.
- Keep a gas peak boiler for the coldest days only, covering less than 10 % of the annual heat.

| Phase | Buildings | Heat delivered |
| --- | --- | --- |
| 1 | Harbourline estate, pool, two schools | 21 GWh per year |
| 2 | Offices and new housing on the quays | 31 GWh per year |

## Who does what

The data centre supplies the heat free of charge for 20 years in exchange for lower cooling costs. Riverbend Energy & Water builds and runs the system. Green Bridge Capital places a 30 M CAD green bond; the city covers the street works. The Urban Lab measures results and publishes them.

## Timeline

Detailed design in nine months, phase 1 built in two summers, phase 2 three years after approval.

## Risks

- The data centre's load could fall: the supply contract requires notice of three years and the heat pumps can also run on river water.
- Tariffs must stay below the cost of gas heating for tenants; the utility's tariff is regulated and capped at that level for ten years.
- Street works in the harbour are dense with networks; surveys are planned before any design freeze.
""",
    },
    {
        "title": "Mill Street redesign: rain gardens and a protected two-way cycle lane from the South station to the river",
        "summary": "Mill Street floods at the underpass several times a year and has the highest rate of cyclist injuries in the South district. Atelier Civitas proposes to rebuild 1.3 km of it with a protected two-way cycle lane and a chain of 26 rain gardens that keep storm water out of the combined sewer, designed with residents and cyclists.",
        "sectors": ["water", "mobility", "public_space"],
        "lead": CIVITAS,
        "partners": [
            (
                CYCLE,
                "partner",
                "Co-design walks with residents, counts of cyclists before and after, safety audit of the crossings.",
                ACCEPTED,
            ),
            (
                UTILITY,
                "partner",
                "Storm-water modelling and a contribution of 400,000 CAD from the storm-water budget.",
                ACCEPTED,
            ),
            (
                HEALTHY,
                "partner",
                "Noise and air-quality measurements near the two schools on the street.",
                INVITED,
            ),
        ],
        "delivery": "public_procurement",
        "capital": 4_300_000,
        "operating": 45_000,
        "ask": 3_900_000,
        "impacts": [
            ("green_area", 2600, "m2", 2027),
            ("water_saved", 9500, "m3_per_year", 2027),
            ("car_trips_avoided", 60000, "trips_per_year", 2028),
        ],
        "district": "South",
        "point": ("45.476200", "-73.569800"),
        "status": "shortlisted",
        "age": 203,
        "answers": {
            "shortlisted": "Shortlisted. The design solves a flooding problem and a safety problem in one rebuild, and the utility's contribution makes it good value. Before a decision, we ask the consortium to present the crossing designs to the South district council.",
        },
        "edit": {
            "note": "Added the map point and the storm-water figures from the flow survey.",
            "before": {"latitude": None, "longitude": None},
            "impacts_before": [
                ("green_area", 2600, "m2", 2027),
                ("car_trips_avoided", 60000, "trips_per_year", 2028),
            ],
        },
        "body": """
## Context

Mill Street links the South rail station to the river path. It carries 9,000 vehicles a day, 1,400 cyclists on a summer weekday, and it is the street where most cyclists were injured in the South district over the last five years. At the rail underpass, the combined sewer overflows during heavy rain four to six times a year, and the road closes.

## What we propose

- A two-way cycle lane, 3 m wide, separated from traffic by a planted strip, on the east side of the street.
- 26 rain gardens along the planted strip and at corners, sized for a 25 mm rain, draining about 1.6 ha of roadway.
- Raised crossings at the two schools and at the station entrance.
- One traffic lane in each direction instead of two; loading bays kept for the shops.
- Trees in every rain garden where the networks allow: 54 new trees in total.

## Who does what

| Partner | Contribution |
| --- | --- |
| Atelier Civitas Engineering | design, tender documents, site supervision |
| Riverbend Energy & Water | storm-water model, 400,000 CAD, maintenance of the inlets |
| Cycle Together | co-design walks, counts before and after, safety audit |
| City of Riverbend | procurement of the works, planting and care of the gardens |

## Timeline

Co-design over the winter, tender in spring, works in two summer seasons so that the street is never closed for more than three weeks at a time.

## Risks

- Soils near the underpass may not infiltrate well; the test pits planned in the first month decide whether those gardens get an underdrain.
- Shopkeepers fear losing parking; the design keeps 70 % of the spaces and adds two delivery bays.
- Maintenance of rain gardens is often forgotten: the budget includes five years of care.
""",
    },
    {
        "title": "Shift the Peak: employers reward off-peak transit trips and flexible hours for 9,000 staff",
        "summary": "Riverbend's trains and buses are full between 7:30 and 8:30 and half empty an hour later. The Urban Lab and four large employers propose flexible start times and a transit credit for trips outside the peak, measured anonymously from fare-card data, to flatten the rush hour without new vehicles.",
        "sectors": ["mobility", "digital", "health"],
        "lead": LAB,
        "partners": [
            (
                UTILITY,
                "partner",
                "Offers flexible start times and the credit to its 1,400 staff; shares anonymised results.",
                ACCEPTED,
            ),
            (
                DATA_CENTRE,
                "partner",
                "Offers the credit to its 300 staff and technicians.",
                ACCEPTED,
            ),
            (
                HOMES,
                "partner",
                "Offers the credit to its 650 staff and promotes it to its commercial tenants.",
                ACCEPTED,
            ),
            (
                CYCLE,
                "partner",
                "Adds a cycling option to the credit for staff who live within 8 km.",
                INVITED,
            ),
        ],
        "delivery": "grant",
        "capital": 650_000,
        "operating": 420_000,
        "ask": 500_000,
        "impacts": [
            ("commute_minutes_saved", 6, "minutes_per_trip", 2027),
            ("car_trips_avoided", 110000, "trips_per_year", 2027),
            ("co2_avoided", 240, "t_co2_per_year", 2027),
        ],
        "district": "University",
        "status": "submitted",
        "age": 58,
        "edit": {
            "note": "City share lowered to 500,000 CAD: Harbourline Homes will pay its own staff's credits in full.",
            "before": {"city_contribution": 600_000},
        },
        "body": """
## Context

Riverbend's transit network is sized for a peak that lasts about an hour. Between 7:30 and 8:30, the North and Harbour lines run at 110 % of their seated capacity; at 9:30, the same trains are half empty. Adding vehicles for one hour a day is the most expensive way to grow a network. Most of the people in the peak work for large employers who could offer flexible hours but rarely do.

## What we propose

A two-year programme with at least four employers (9,000 staff to start):

- **Flexible start times**: staff may start between 7:00 and 10:00, agreed with their team.
- **Off-peak credit**: each trip that starts outside the 7:30–8:30 peak earns 1 CAD, paid monthly with the salary, up to 40 CAD a month.
- **Route suggestions**: a simple web page shows each staff member the least crowded route and time for their trip, using the transit agency's open data.
- **Measurement**: fare-card data, anonymised by the transit agency before it reaches the Lab, shows how many trips moved.

## Who does what

1. The Urban Lab designs the programme, the web page and the evaluation.
2. Employers change their policies and pay half of the credits.
3. The city pays the other half of the credits and the evaluation.

## Timeline

- Months 1–4: agreements with employers, ethics approval, web page.
- Months 5–20: programme running, quarterly results published.
- Months 21–24: final evaluation and a guide for other employers.

## Risks

People may take the credit without changing anything: the evaluation compares with staff of similar employers who are not part of it. Privacy is protected because the Lab never receives identified travel records. If fewer than 15 % of trips move, the city stops its share after the first year.
""",
    },
    {
        "title": "Part-time teleworking hubs in three North district storefronts, two minutes' walk from home",
        "summary": "Half of North district's working residents commute more than 45 minutes each way. Harbourline Homes proposes to turn three empty ground-floor units, one of them in the city's former library annex, into neighbourhood work hubs with 140 desks, booked by the day and paid for by employers, so that people can work close to home two or three days a week.",
        "sectors": ["mobility", "digital", "buildings"],
        "lead": HOMES,
        "partners": [
            (
                BUILDERS,
                "partner",
                "Fit-out of the three units with reused furniture and acoustic panels.",
                ACCEPTED,
            ),
            (
                LAB,
                "research",
                "Surveys of users' commutes before and after, published every six months.",
                ACCEPTED,
            ),
            (
                UTILITY,
                "partner",
                "Reserves 30 desks for its staff living in North and pays for them by the day.",
                ACCEPTED,
            ),
        ],
        "delivery": "concession",
        "capital": 1_900_000,
        "operating": 380_000,
        "ask": 350_000,
        "impacts": [
            ("commute_minutes_saved", 38, "minutes_per_day", 2027),
            ("car_trips_avoided", 62000, "trips_per_year", 2027),
            ("jobs_created", 9, "jobs", 2027),
        ],
        "district": "North",
        "point": ("45.531200", "-73.582600"),
        "status": "under_review",
        "age": 131,
        "body": """
## Context

North is Riverbend's most residential district: 74,000 people, few offices, and an average commute of 47 minutes each way, mostly by car on the two bridges. Many residents are allowed to work from home, but a third of them live in homes too small to work in comfortably. At the same time, 11 % of the ground-floor units on North Avenue are empty.

## What we propose

Three neighbourhood work hubs, each within a five-minute walk of 10,000 residents:

| Hub | Place | Desks |
| --- | --- | --- |
| North Avenue | former library annex (city-owned) | 60 |
| Pine Square | Harbourline ground floor | 45 |
| Elm Court | Harbourline ground floor | 35 |

Each hub has quiet desks, four call booths, two meeting rooms, a kitchen, bike parking and fast fibre. Desks are booked by the day through the employer; residents without an employer deal pay 12 CAD a day. One hub opens early and closes late for shift workers.

## Who does what

- **Harbourline Homes** runs the three hubs, under a ten-year concession for the city's annex.
- **Northgate Builders** fits them out, reusing furniture from office clearances.
- **Riverbend Energy & Water** is the first employer to buy desks.
- **Urban Lab** measures the effect on commutes and on local shops.

## Timeline

The Pine Square hub opens four months after approval; the annex needs seven months of works.

## Risks

- Employers may not follow: the hubs are viable at 55 % occupancy, and the utility alone fills 20 %.
- Hubs could draw people who would have stayed at home anyway; the survey measures real trips avoided, not desks sold.
- The annex is listed as heritage: works are limited to furniture and networks.
""",
    },
    {
        "title": "Preventive self-care stations in eight neighbourhood pharmacies, with a nurse on call by video",
        "summary": "Healthy Streets Alliance proposes self-care stations in eight independent pharmacies of the South and University districts, where residents measure blood pressure, weight and diabetes risk for free, get a plain-language result, and can talk to a nurse by video the same day. Financed by a social bond repaid from avoided emergency visits.",
        "sectors": ["health", "digital", "education"],
        "lead": HEALTHY,
        "partners": [
            (
                LAB,
                "research",
                "Evaluation design, privacy impact assessment and yearly outcome reports.",
                ACCEPTED,
            ),
            (
                CAPITAL,
                "financer",
                "Structures a 1.4 M CAD social bond with outcome payments tied to avoided emergency visits.",
                ACCEPTED,
            ),
        ],
        "delivery": "bond",
        "capital": 820_000,
        "operating": 610_000,
        "ask": 250_000,
        "impacts": [
            ("residents_served", 14000, "people", 2027),
            ("jobs_created", 6, "jobs", 2027),
        ],
        "district": "South",
        "status": "submitted",
        "age": 44,
        "body": """
## Context

In the South district, one adult in three has high blood pressure, and about half of them do not know it. Residents without a family doctor use the emergency department of Riverbend General for problems that a check a year earlier would have prevented. Neighbourhood pharmacies are open late, close to home and trusted, but they have no space or staff for screening.

## What we propose

- A self-care station in each of eight pharmacies: a validated blood-pressure cuff, scales, a tablet with the diabetes-risk questionnaire, and a private booth.
- Results in plain language, in English, French, Arabic and Spanish, printed or sent by text message.
- A nurse on call by video from 10:00 to 20:00 for anyone whose result is out of range; the nurse can book a same-week appointment at the community health centre.
- Free monthly workshops in the pharmacies: salt and blood pressure, walking groups, reading food labels.

## Who does what

- **Healthy Streets Alliance** coordinates the programme and employs the nurses (six part-time posts).
- **Pharmacies** host the stations and refer customers; they are paid a small fee per booth.
- **Urban Lab** evaluates the outcomes and checks privacy: no data leaves the station unless the resident asks for a nurse.
- **Green Bridge Capital** finances the first three years through a social bond.

## Timeline

Two pilot pharmacies in month four, all eight by month nine, outcome report at the end of each year.

## Risks

The bond's outcome payments depend on a measurable drop in avoidable emergency visits, which the health authority must agree to share in aggregate. If it does not, the bond becomes an ordinary loan repaid by the city's health promotion budget, which is why the city is asked for a guarantee rather than a larger grant.
""",
    },
    {
        "title": "Food-waste composting for Riverside's community gardens, collected by cargo bike from buildings and restaurants",
        "summary": "Compost & Co proposes to collect food waste from 20 apartment buildings and 35 restaurants in Riverside by electric cargo bike, compost it in a small in-vessel unit next to the allotments, and give the compost back to the community gardens. Run as a cooperative by the gardeners, with paid collection jobs.",
        "sectors": ["waste", "food", "public_space"],
        "lead": COMPOST,
        "partners": [
            (
                HOMES,
                "partner",
                "Collection points in 20 of its buildings and information for tenants.",
                ACCEPTED,
            ),
            (
                UTILITY,
                "partner",
                "A 600 m² site next to the water treatment plant, leased at a symbolic rent.",
                INVITED,
            ),
        ],
        "delivery": "cooperative",
        "capital": 480_000,
        "operating": 210_000,
        "ask": 180_000,
        "impacts": [
            ("waste_diverted", 850, "t_per_year", 2027),
            ("co2_avoided", 310, "t_co2_per_year", 2027),
            ("jobs_created", 5, "jobs", 2027),
        ],
        "district": "Riverside",
        "point": ("45.491500", "-73.598700"),
        "status": "submitted",
        "age": 27,
        "body": """
## Context

Food makes up about 40 % of what Riverside households throw away, and it goes to a landfill 60 km away where it produces methane. The city's organic bin collection covers houses but not apartment buildings, where most Riverside residents live. The 11 community gardens along the river buy compost by the truckload every spring.

## What we propose

1. **Collection**: sealed 120-litre bins in the courtyards of 20 apartment buildings and at 35 restaurants, emptied two or three times a week by electric cargo bikes.
2. **Composting**: an in-vessel composter of 1,000 tonnes a year on a fenced site by the water treatment plant, with a biofilter against smells.
3. **Return**: mature compost delivered to the community gardens for free, the surplus sold in bags to fund the operation.
4. **Information**: a bin-side guide in four languages and a gardener visit to each building in the first month.

## Who does what

| Who | Does what |
| --- | --- |
| Compost & Co | equipment, collection rounds, training |
| Riverside Gardeners' Cooperative | runs the site once trained, decides on compost use |
| Harbourline Homes | space for bins, information for tenants |
| Restaurants | pay a collection fee lower than their current waste bill |

## Timeline

- Months 1–3: permits, site preparation, first ten buildings.
- Months 4–8: composter installed, all buildings and restaurants.
- Month 12: first full year of compost delivered to the gardens.

## Risks

Contamination (plastic in the bins) is the classic failure of food-waste schemes; collectors check each bin and give feedback to the building. Smell complaints are managed with the biofilter and a closed reception hall. If the cooperative cannot take over the site within two years, Compost & Co keeps running it under the same terms.
""",
    },
    {
        "title": "Modular timber classroom extensions for three crowded schools, built off-site and assembled over the summer",
        "summary": "Three North and University district schools teach 300 pupils in ageing portable classrooms. Northgate Builders proposes 24 permanent classrooms in cross-laminated timber, built in a workshop during the school year and assembled in ten weeks over the summer, designed to be extended, moved or converted as enrolment changes.",
        "sectors": ["buildings", "education", "energy"],
        "lead": BUILDERS,
        "partners": [
            (
                CIVITAS,
                "partner",
                "Structural and fire design of the modules; site layouts for the three schools.",
                ACCEPTED,
            ),
            (
                CAPITAL,
                "financer",
                "Private finance for the construction period, repaid by availability payments over 25 years.",
                ACCEPTED,
            ),
            (
                LAB,
                "research",
                "Measures indoor air quality, temperature and noise in new and old classrooms for two years.",
                ACCEPTED,
            ),
        ],
        "delivery": "ppp",
        "capital": 11_800_000,
        "operating": 140_000,
        "ask": 2_400_000,
        "impacts": [
            ("residents_served", 720, "people", 2028),
            ("energy_saved", 380, "mwh_per_year", 2028),
            ("jobs_created", 35, "jobs", 2027),
        ],
        "district": "North",
        "point": ("45.534800", "-73.576300"),
        "status": "shortlisted",
        "age": 187,
        "answers": {
            "shortlisted": "Shortlisted. The school board confirms the need at all three sites. We want to compare the availability-payment model with a conventional purchase before deciding, and will publish that comparison here.",
        },
        "body": """
## Context

Enrolment in North and University schools has grown by 18 % in eight years, faster than any new school could be built. Three schools now use 14 portable classrooms, most older than the pupils in them: cold in winter, hot in June, and expensive to heat. A conventional extension takes two years of works on an occupied site.

## What we propose

- 24 classrooms, two science rooms and shared toilets in cross-laminated timber modules, three to four metres wide, fully finished in Northgate's workshop.
- Assembly on site in ten summer weeks, with foundations poured in the spring.
- Passive-house level insulation, triple glazing, mechanical ventilation with heat recovery and CO2 sensors in every room.
- Modules bolted, not glued: they can be moved to another school or converted to a daycare if enrolment falls.
- Portables removed and their sites returned to playground.

| School | District | Classrooms | Pupils |
| --- | --- | --- | --- |
| Pine Hill Elementary | North | 10 | 260 |
| North Avenue Middle | North | 8 | 230 |
| Collegiate Heights | University | 6 | 230 |

## Who does what

Northgate designs, builds and maintains the modules for 25 years. Atelier Civitas does structure, fire and site design. Green Bridge Capital finances construction; the school board pays a yearly availability fee only while the rooms meet agreed standards of comfort and air quality. The city contributes site works and the playground restoration. The Urban Lab measures the classrooms and publishes the results.

## Timeline

Design and permits over ten months; workshop production over the winter; assembly the following summer, ready for the autumn term.

## Risks

- Timber supply prices vary: the contract fixes them at order.
- A late permit would push assembly a full year, since works are only possible in summer; permits are requested for all three sites in parallel.
- Fire rules for timber schools are strict; the design uses encapsulated panels already approved in two other provinces.
""",
    },
    {
        "title": "Smart water meters with leak detection and a residents' dashboard for Old Town and South",
        "summary": "Riverbend Energy & Water proposes to replace 18,000 mechanical water meters in Old Town and South with smart meters that report hourly, add acoustic leak sensors to 140 km of old mains, and give every household a simple dashboard of its use with alerts when a tap or toilet leaks. A third of the city's drinking water is lost before it reaches a tap.",
        "sectors": ["water", "digital", "housing"],
        "lead": UTILITY,
        "partners": [
            (
                HOMES,
                "partner",
                "Access to meter rooms in its 95 buildings, and tenant information in four languages.",
                ACCEPTED,
            ),
            (
                LAB,
                "research",
                "Independent review of the privacy design and evaluation of the dashboard's effect on use.",
                ACCEPTED,
            ),
        ],
        "delivery": "public_procurement",
        "capital": 9_600_000,
        "operating": 480_000,
        "ask": 2_000_000,
        "impacts": [
            ("water_saved", 1450000, "m3_per_year", 2028),
            ("energy_saved", 620, "mwh_per_year", 2028),
            ("residents_served", 52000, "people", 2028),
        ],
        "district": "Old Town",
        "point": ("45.503900", "-73.558700"),
        "status": "accepted",
        "age": 224,
        "answers": {
            "under_review": "Under review with the finance department: the city's share would come from the water infrastructure reserve.",
            "shortlisted": "Shortlisted. The leak losses in Old Town are well documented and the payback is short. We need the privacy design reviewed before a decision.",
            "accepted": "Accepted. The privacy review by the Urban Lab is published with this proposal: hourly data stays with the utility and the household, and only district totals are shared. The city will contribute 2 M CAD from the water infrastructure reserve. Installation in Old Town starts first; residents will receive a letter two weeks before the visit.",
        },
        "body": """
## Context

Riverbend produces about 310 litres of drinking water per resident per day; about 34 % of it is lost before it reaches a tap, mostly through mains laid before 1950 in Old Town and South. Inside homes, a running toilet can waste 200 litres a day for months without anyone noticing, because bills arrive twice a year. Treating and pumping water that nobody uses also costs energy.

## What we propose

- Replace 18,000 mechanical meters with smart meters reporting hourly over the utility's existing metering network (the same one as the electricity meters installed since 2024).
- Install 2,100 acoustic sensors on 140 km of old cast-iron mains to locate leaks before they surface.
- Give every household a dashboard (web and paper summary) with daily use, comparison with similar homes, and an alert by text or e-mail when the meter never stops for 24 hours.
- Publish district-level consumption and losses every month as open data.

## Who does what

1. **Riverbend Energy & Water** procures and installs meters and sensors, runs the dashboard and repairs the leaks found.
2. **Harbourline Homes** opens its meter rooms and informs tenants.
3. **Urban Lab** reviews the privacy design and measures the effect of the dashboard on consumption.

## Timeline

| Step | When |
| --- | --- |
| Tender and award | months 1–6 |
| Old Town installation | months 7–14 |
| South installation | months 15–22 |
| First open-data release | month 9 |

## Risks

Hourly data reveals when people are at home; it is kept by the utility only, deleted after 13 months, and never sold. Some buildings have meters in flooded or locked rooms: a survey visit is planned for each one. Leak repairs found by the sensors may exceed the current repair budget in the first year; the utility has set aside a reserve.
""",
    },
    {
        "title": "North Sun Co-op: residents own the solar panels on their street's roofs and sell the power back to the grid",
        "summary": "A resident energy cooperative in North district, set up with SolarRoof Collective, would lease 60 house and triplex roofs, install 650 kW of panels financed by member shares of 250 CAD, and sell the power to the grid. Members get a dividend; roof owners get a rent or free power; the cooperative reinvests in more roofs.",
        "sectors": ["energy", "finance", "housing"],
        "lead": SOLAR,
        "partners": [
            (
                UTILITY,
                "operator",
                "Grid connection and a single aggregated net-metering account for the cooperative.",
                ACCEPTED,
            ),
            (
                CAPITAL,
                "financer",
                "Bridge loan of 900,000 CAD until member shares are collected, at cost.",
                ACCEPTED,
            ),
        ],
        "delivery": "cooperative",
        "capital": 1_600_000,
        "operating": 28_000,
        "ask": 120_000,
        "impacts": [
            ("energy_produced", 720, "mwh_per_year", 2027),
            ("residents_served", 400, "people", 2027),
            ("co2_avoided", 40, "t_co2_per_year", 2027),
        ],
        "district": "North",
        "point": ("45.528400", "-73.589100"),
        "status": "submitted",
        "age": 96,
        "body": """
## Context

North district is mostly houses and triplexes with pitched south- or west-facing roofs. Many residents want solar panels but cannot pay 20,000 CAD up front, or rent their home. Those who own the roofs and those who want to invest are often not the same people. A cooperative brings them together and keeps the income in the neighbourhood.

## What we propose

- Create **North Sun Co-op**, open to any Riverbend resident, with shares of 250 CAD (maximum 40 shares per member) and one member, one vote.
- Lease 60 roofs for 25 years. Roof owners choose a yearly rent or free power for their own home.
- Install 650 kWp in two seasons, with SolarRoof as installer and technical manager for the first five years.
- Sell the power to the grid through one aggregated net-metering account.
- Pay members a capped dividend (4 % a year); put the rest into a fund for the next roofs and for energy-poverty help in the district.

## Who does what

| Who | Role |
| --- | --- |
| Residents | members, board, roof owners |
| SolarRoof Collective | set-up, installation, maintenance, training of the board |
| Riverbend Energy & Water | grid connection, aggregated metering, monthly payment |
| Green Bridge Capital | bridge loan until shares are sold |
| City of Riverbend | legal set-up costs, a storefront for member meetings, permit fast track |

## Timeline

Founding meeting and share offer in the first three months; first 30 roofs the following summer; all 60 by the end of the second year.

## Risks

- Fewer members than hoped: the bridge loan covers the gap for three years, and the share offer starts with the 400 residents who signed the letter of intent.
- Roof condition: each roof is inspected before signing, and roofs with less than 15 years of life left are excluded.
- Changes to the net-metering tariff would reduce income; the business plan holds at a tariff 20 % lower than today's.
""",
    },
    {
        "title": "Cargo-bike logistics hub at the old tram depot for last-mile deliveries in Old Town",
        "summary": "Delivery vans double-park on Old Town's narrow streets all day. ShareWheels proposes a micro-hub at the old tram depot where carriers drop parcels once in the morning, and 20 electric cargo bikes deliver them to shops and homes. Shops can also rent the bikes for their own deliveries.",
        "sectors": ["mobility", "public_space", "safety"],
        "lead": SHARE,
        "partners": [
            (
                CYCLE,
                "partner",
                "Riders' safety training and route advice; mapping of the conflicts with cyclists.",
                ACCEPTED,
            ),
            (
                CIVITAS,
                "partner",
                "Layout of the hub, loading bays and the route plan through Old Town.",
                ACCEPTED,
            ),
            (
                HOMES,
                "partner",
                "Parcel lockers in the lobbies of its eight Old Town buildings.",
                ACCEPTED,
            ),
        ],
        "delivery": "concession",
        "capital": 1_100_000,
        "operating": 640_000,
        "ask": 300_000,
        "impacts": [
            ("car_trips_avoided", 48000, "trips_per_year", 2027),
            ("co2_avoided", 210, "t_co2_per_year", 2027),
            ("jobs_created", 14, "jobs", 2027),
        ],
        "district": "Old Town",
        "point": ("45.508100", "-73.551900"),
        "status": "under_review",
        "age": 149,
        "edit": {
            "note": "Hub moved from Dock Road to the old tram depot after the landowner withdrew; map point updated.",
            "before": {"latitude": "45.499300", "longitude": "-73.548400"},
        },
        "body": """
## Context

About 260 delivery vans enter Old Town every weekday. Streets are narrow, most shops have no loading bay, and vans stop in the cycle lane or on the sidewalk. Carriers say a van makes only 35 drops a day in Old Town, against 90 in the suburbs, because of the time spent looking for a place to stop.

## What we propose

- A 900 m² micro-hub in the old tram depot, leased from the city under a ten-year concession.
- Carriers drop their Old Town parcels there before 8:00, in full trucks.
- 20 electric cargo bikes (payload up to 250 kg) and two small electric vans for heavy items deliver from the hub.
- Parcel lockers in eight apartment buildings and at the hub for residents who are out.
- Shops can rent a bike with or without a rider by the hour.
- Pick-up of returns and recycling (cardboard) on the way back.

## Who does what

- **ShareWheels** runs the hub and employs 14 riders, paid by the hour with benefits, not per drop.
- **Carriers** pay a fee per parcel, lower than their current Old Town cost.
- **Atelier Civitas** designs the hub and the loading bays.
- **Cycle Together** trains riders and checks routes.
- **Harbourline Homes** hosts lockers.
- **The city** leases the depot and marks 12 cargo-bike loading bays.

## Timeline

1. Depot works and bike order: months 1–5.
2. Opening with two carriers: month 6.
3. All volunteer carriers and shop rentals: month 12.

## Risks

Carriers may prefer to keep their vans. Two have signed letters of intent, covering 40 % of Old Town parcels; the hub breaks even at 30 %. Winter riding is hard: the bikes have studded tyres and the vans take over on the worst days. The depot's heritage facade is kept as it is.
""",
    },
    {
        "title": "Heat-pump retrofits of 900 Harbourline homes in South, financed by a green bond repaid from energy savings",
        "summary": "Green Bridge Capital, Harbourline Homes, Northgate Builders and the utility propose to replace the gas boilers and electric baseboards of 900 homes in 22 South district buildings with air-to-water heat pumps, add attic and window insulation, and finance it with a 24 M CAD green bond repaid from the energy savings, without raising rents.",
        "sectors": ["energy", "housing", "finance", "buildings"],
        "lead": CAPITAL,
        "partners": [
            (
                HOMES,
                "partner",
                "Owner of the 22 buildings; commits to no rent increase linked to the works for ten years.",
                ACCEPTED,
            ),
            (
                BUILDERS,
                "operator",
                "Design-build contractor; guarantees the performance of the systems for ten years.",
                ACCEPTED,
            ),
            (
                UTILITY,
                "partner",
                "Grid reinforcement where needed and an off-peak tariff for the heat pumps.",
                ACCEPTED,
            ),
        ],
        "delivery": "bond",
        "capital": 27_000_000,
        "operating": 150_000,
        "ask": 2_500_000,
        "impacts": [
            ("co2_avoided", 1900, "t_co2_per_year", 2029),
            ("energy_saved", 18500, "mwh_per_year", 2029),
            ("homes", 900, "homes", 2029),
        ],
        "district": "South",
        "point": ("45.472400", "-73.574200"),
        "status": "shortlisted",
        "age": 198,
        "answers": {
            "shortlisted": "Shortlisted. The bond structure means the city is not the only financier, which is exactly what we asked for. The first-loss reserve needs Council approval; the finance department will publish its opinion here.",
        },
        "edit": {
            "note": "Scope extended from 800 to 900 homes after the second building audit; bond size and impacts updated.",
            "before": {
                "capital_cost": 24_000_000,
                "summary": "Green Bridge Capital, Harbourline Homes, Northgate Builders and the utility propose to replace the gas boilers and electric baseboards of 800 homes in 20 South district buildings with air-to-water heat pumps, add attic and window insulation, and finance it with a 22 M CAD green bond repaid from the energy savings, without raising rents.",
            },
            "impacts_before": [
                ("co2_avoided", 1700, "t_co2_per_year", 2029),
                ("energy_saved", 16400, "mwh_per_year", 2029),
                ("homes", 800, "homes", 2029),
            ],
        },
        "body": """
## Context

Harbourline's 22 buildings in South date from 1958 to 1972. Half are heated by central gas boilers at the end of their life, half by electric baseboards that make winter bills painful for tenants. Retrofitting them is the single largest emission cut available in the district's housing, but neither the landlord nor the city can fund it alone.

## What we propose

| Measure | Buildings | Effect |
| --- | --- | --- |
| Air-to-water heat pumps with a small gas back-up for the coldest days | 11 boiler buildings | gas use down about 85 % |
| Heat pumps replacing baseboards, with new radiators | 11 baseboard buildings | electricity use for heat down about 60 % |
| Attic insulation and window replacement | all 22 | heat demand down about 25 % |
| Smart thermostats and ventilation balancing | all 22 | comfort, fewer complaints |

## Financing

Green Bridge Capital places a 24 M CAD green bond with institutional and retail investors, including a 1,000 CAD minimum tranche for Riverbend residents. The landlord repays it over 20 years from the energy savings it makes on the boiler buildings and from a fixed service charge on the baseboard buildings that is lower than the tenants' current electricity savings. The city sets up a 2.5 M CAD first-loss reserve, only drawn if savings fall short.

## Who does what

- Green Bridge Capital: bond structure, investor reporting.
- Harbourline Homes: owner, tenant relations, repayment.
- Northgate Builders: design-build, ten-year performance guarantee.
- Riverbend Energy & Water: grid upgrades, off-peak tariff.

## Timeline

Audits and design in year one; works in four waves of five to six buildings, each wave in one summer and autumn, with tenants staying at home.

## Risks

Savings depend on electricity and gas prices: the model is tested against a 30 % rise in electricity prices. Heat pumps are noisy if badly placed; the design keeps outdoor units on roofs. Tenants fear rent increases: the no-increase commitment is written into the bond documents.
""",
    },
    {
        "title": "School streets with air-quality sensors at six University district schools",
        "summary": "Healthy Streets Alliance proposes to close the street in front of six schools to through traffic for 30 minutes at drop-off and pick-up, with movable planters, volunteer marshals and low-cost air-quality sensors that show parents and pupils the difference on a screen at the gate.",
        "sectors": ["health", "mobility", "education", "safety"],
        "lead": HEALTHY,
        "partners": [
            (
                CYCLE,
                "partner",
                "Recruits and trains volunteer marshals; runs bike buses on two routes.",
                ACCEPTED,
            ),
            (
                LAB,
                "research",
                "Calibrates the sensors and publishes the before-and-after air-quality data.",
                ACCEPTED,
            ),
            (
                CIVITAS,
                "partner",
                "Traffic studies and signage plans for the six streets.",
                ACCEPTED,
            ),
        ],
        "delivery": "grant",
        "capital": 380_000,
        "operating": 60_000,
        "ask": 330_000,
        "impacts": [
            ("residents_served", 3100, "people", 2027),
            ("car_trips_avoided", 70000, "trips_per_year", 2027),
        ],
        "district": "University",
        "point": ("45.504400", "-73.584500"),
        "status": "shortlisted",
        "age": 165,
        "answers": {
            "shortlisted": "Shortlisted. Parents' councils at five of the six schools wrote to support this. We will check with the fire service that emergency access is kept before a decision.",
        },
        "body": """
## Context

At the six schools of the University district, about 40 % of pupils arrive by car, although most live less than 1.5 km away. Morning traffic at the gates is dangerous, and nitrogen dioxide measured by parents last winter was twice as high at the gates at 8:15 as at 10:00. Parents who would let their children walk say they do not because of the traffic at the gate.

## What we propose

- Close the street in front of each school to motor traffic from 8:00 to 8:30 and 15:00 to 15:30 on school days, with movable planters and signs. Residents, deliveries and emergency vehicles keep access.
- Volunteer marshals (parents, retirees, older pupils) for the first term, replaced by permanent planters and clear signs once the habit is set.
- Air-quality sensors (NO2 and fine particles) at each gate and on a nearby street for comparison, with a screen at the gate and open data online.
- Walking and bike buses on two routes per school.

## Who does what

| Who | What |
| --- | --- |
| Healthy Streets Alliance | coordination, parent information, evaluation |
| Cycle Together | marshals and bike buses |
| Urban Lab | sensors, calibration, data |
| Atelier Civitas | traffic study and signage plans |
| City | traffic orders, planters, signs |

## Timeline

Two pilot schools in the spring term, the other four in the autumn, a public report after one school year.

## Risks

- Traffic may move to nearby streets: the traffic study covers the surrounding block and sensors measure it.
- Volunteers get tired: the plan moves to self-enforcing planters after one term.
- Low-cost sensors drift: the Lab calibrates them against the provincial reference station every three months.
""",
    },
    {
        "title": "Shared e-bikes with secure charging for night-shift workers at the harbour",
        "summary": "Buses stop at midnight but harbour shifts change at 23:00 and 7:00. ShareWheels proposes 80 shared e-bikes at four locked, heated stations near the harbour gates and in North and South, bookable by shift workers for a monthly fee paid partly by employers.",
        "sectors": ["mobility", "energy", "safety"],
        "lead": SHARE,
        "partners": [
            (
                DATA_CENTRE,
                "partner",
                "Hosts one station and pays half of the membership for its night technicians.",
                INVITED,
            ),
        ],
        "delivery": "private_investment",
        "capital": 340_000,
        "operating": 120_000,
        "ask": 60_000,
        "impacts": [
            ("car_trips_avoided", 22000, "trips_per_year", 2027),
            ("commute_minutes_saved", 9, "minutes_per_trip", 2027),
        ],
        "district": "Harbour",
        "status": "draft",
        "age": 9,
        "body": """
## Context

About 2,300 people work night or early shifts in the harbour district: port operations, the data centre, the hospital laundry, two bakeries. The last bus leaves at 00:10 and the first arrives at 6:20. Most of these workers drive, or pay for taxis they can barely afford; some walk 40 minutes along the unlit Dock Road.

## What we propose

- Four e-bike stations: two near the harbour gates, one in North, one in South, each with 20 bikes.
- Stations in locked, lit and heated shelters opened with a badge, so that batteries charge in the cold and bikes are not stolen.
- Monthly membership at 25 CAD, half paid by employers who join, with bikes bookable for the whole shift.
- Winter kit: studded tyres from November to March, lights and reflective jackets lent with the bike.

## Who does what

1. ShareWheels buys and maintains the bikes and runs the booking system.
2. Employers host stations on their land and pay half of the membership.
3. The city lights the 1.2 km of Dock Road that is dark today and clears its cycle lane of snow first.

## Timeline

- Months 1–2: agreements with employers, shelter design.
- Months 3–5: shelters built, bikes delivered.
- Month 6: opening before the autumn, evaluation after the first winter.

## Risks

Winter use will drop; the stations keep bikes charged and the programme is judged on a full year. If fewer than 150 members join in six months, the North and South stations are moved to the two busiest employers. Lighting Dock Road is needed whatever happens with this proposal, and is asked of the city as a separate item.
""",
    },
    {
        "title": "Riverside flood park: a retention basin that doubles as sports fields and a wetland walk",
        "summary": "The low-lying Riverside sports ground floods every spring and the streets behind it flood in heavy storms. Atelier Civitas proposes to reshape it into a park that holds 38,000 m³ of storm water during floods and is dry sports fields and a wetland walk the rest of the year.",
        "sectors": ["water", "public_space", "safety"],
        "lead": CIVITAS,
        "partners": [
            (
                UTILITY,
                "operator",
                "Operates the inlet and outlet structures and includes them in its storm-water network.",
                ACCEPTED,
            ),
            (
                CYCLE,
                "partner",
                "Designs the path network with residents and links it to the river trail.",
                ACCEPTED,
            ),
        ],
        "delivery": "public_procurement",
        "capital": 7_400_000,
        "operating": 90_000,
        "ask": 6_900_000,
        "impacts": [
            ("green_area", 31000, "m2", 2028),
            ("residents_served", 12000, "people", 2028),
        ],
        "district": "Riverside",
        "point": ("45.484600", "-73.607900"),
        "status": "submitted",
        "age": 71,
        "body": """
## Context

Riverside Park's sports ground sits 1.5 m below the streets around it. In heavy rain, storm water from 40 ha of streets and roofs runs into it and backs up into basements on Willow Street and Bank Street; three storms in the past six years caused damage to more than 200 homes. The fields are closed for weeks each spring. Climate projections for Riverbend show heavier summer storms.

## What we propose

- Lower part of the ground by a further metre and shape it into three terraces that fill one after the other: the wetland first, then the lower field, then the upper field only in the rarest storms.
- Total storage of 38,000 m³, emptied into the river within 48 hours through a controlled outlet.
- Two natural-turf sports fields on the terraces, drained for quick reopening.
- A wetland walk on a boardwalk, with native plants, and a link to the river trail.
- New changing rooms on raised ground, with a green roof.

| Storm | What floods |
| --- | --- |
| Every year | wetland only |
| Once in 10 years | wetland and lower field |
| Once in 100 years | the whole park, not the streets |

## Who does what

Atelier Civitas designs and supervises; the city procures the works and manages the fields; Riverbend Energy & Water operates the inlets and outlet as part of its network; Cycle Together designs the paths with residents.

## Timeline

Design with residents over nine months; works over two dry seasons, keeping one field open at all times.

## Risks

Contaminated fill is possible (the ground was a landfill before 1950): soil tests are the first step, and the budget includes 600,000 CAD for treatment. Sports clubs lose some playing time during works: a schedule has been agreed with them. Mosquitoes in the wetland are managed by keeping water moving.
""",
    },
    {
        "title": "Prefabricated insulated facades and rooftop heat pumps for four 1960s towers, fitted with tenants at home",
        "summary": "Northgate Builders proposes a deep retrofit of four 12-storey Harbourline towers: factory-made insulated facade panels with new windows hung over the old walls, rooftop heat pumps and solar, three weeks of site work per building, tenants stay at home. Paid by an energy performance contract with guaranteed savings.",
        "sectors": ["buildings", "housing", "energy", "finance"],
        "lead": BUILDERS,
        "partners": [
            (
                HOMES,
                "partner",
                "Owner of the four towers; pays a fixed yearly fee from the guaranteed savings.",
                ACCEPTED,
            ),
            (
                CAPITAL,
                "financer",
                "Finances the energy performance contract for 20 years.",
                ACCEPTED,
            ),
            (
                UTILITY,
                "partner",
                "Connection of the rooftop solar and heat pumps; metering of the guaranteed savings.",
                ACCEPTED,
            ),
            (
                LAB,
                "research",
                "3D scanning of the facades and monitoring of comfort in 40 homes.",
                INVITED,
            ),
        ],
        "delivery": "private_investment",
        "capital": 18_600_000,
        "operating": 210_000,
        "ask": 1_200_000,
        "impacts": [
            ("energy_saved", 7400, "mwh_per_year", 2029),
            ("co2_avoided", 1250, "t_co2_per_year", 2029),
            ("homes", 432, "homes", 2029),
        ],
        "district": "Harbour",
        "point": ("45.494100", "-73.549800"),
        "status": "under_review",
        "age": 118,
        "body": """
## Context

The four Bayview towers (432 homes) were built in 1964–1967 with uninsulated concrete panels and single-glazed aluminium windows. They use three times more energy per square metre than a new building, condensation causes mould in a third of the homes, and tenants in corner flats heat with their ovens in January. A conventional retrofit would empty each tower for a year.

## What we propose

- **Scan** each facade in 3D to millimetre accuracy.
- **Build** insulated timber-frame panels in Northgate's workshop, with the new triple-glazed windows and ventilation ducts already fitted.
- **Hang** the panels over the existing facade from the outside, one floor a day; tenants stay at home and only lose a window for a few hours when it is swapped.
- **Replace** the gas boilers with rooftop air-to-water heat pumps, and cover the remaining roof with solar panels.
- **Guarantee** the savings: Northgate is paid only if the measured energy use falls by at least 65 %.

## Who does what

| Organisation | Role |
| --- | --- |
| Northgate Builders | design, manufacture, installation, 20-year performance guarantee |
| Harbourline Homes | owner; tenant liaison; yearly fee from the savings |
| Green Bridge Capital | finance of the energy performance contract |
| Riverbend Energy & Water | grid connection, savings measurement |
| Urban Lab (invited) | scans and comfort monitoring |

The city is asked for a grant towards the first tower, which carries the cost of setting up the production line.

## Timeline

Scans and design of the first tower in six months, then one tower per year, each taking about three weeks of facade work and two months overall.

## Risks

- The first tower will be slower and more expensive than the following ones; that is what the city's contribution covers.
- Old facades hide surprises (corroded anchors): the scan is followed by core samples.
- Fire safety of external insulation is critical: panels use mineral wool and fire breaks at every floor.
""",
    },
    {
        "title": "Grey-water reuse and rain harvesting in three new University district housing blocks, watering shared courtyard gardens",
        "summary": "Harbourline Homes' three new blocks on College Road (210 homes) would treat shower and basin water on site to flush toilets, store roof rain to water the courtyards, and show tenants their savings. The utility would operate the systems and use them to test rules for grey-water in new buildings.",
        "sectors": ["water", "housing", "public_space"],
        "lead": HOMES,
        "partners": [
            (
                UTILITY,
                "operator",
                "Operates and monitors the grey-water units for ten years and reports water quality monthly.",
                ACCEPTED,
            ),
            (
                CIVITAS,
                "partner",
                "Design of the courtyard gardens and of the rain storage.",
                ACCEPTED,
            ),
        ],
        "delivery": "private_investment",
        "capital": 2_300_000,
        "operating": 60_000,
        "ask": 400_000,
        "impacts": [
            ("water_saved", 16000, "m3_per_year", 2028),
            ("green_area", 1800, "m2", 2028),
            ("homes", 210, "homes", 2028),
        ],
        "district": "University",
        "status": "submitted",
        "age": 83,
        "body": """
## Context

Harbourline Homes will start building three blocks of 70 homes each on College Road next year. About a third of the drinking water used in a home goes down the toilet, and Riverbend's new housing will add pressure on a water treatment plant that already runs close to capacity in summer. The courtyards planned between the blocks would otherwise be watered with drinking water.

## What we propose

- A compact grey-water unit in each block's basement: water from showers and basins is filtered, treated with UV and used to flush toilets.
- Roof rain stored in a 90 m³ tank under the courtyard and used to water it in summer.
- Separate pipework in every home, clearly labelled, so that the system can be switched off without works if needed.
- A screen in each lobby showing how much water was reused this month.
- Courtyard gardens with drought-tolerant planting and 14 raised beds for tenants.

| Source | Use | Water saved per year |
| --- | --- | --- |
| Showers and basins | toilet flushing | about 12,500 m³ |
| Roof rain | courtyard watering | about 3,500 m³ |

## Who does what

- **Harbourline Homes** builds and owns the blocks and systems.
- **Riverbend Energy & Water** operates the units for ten years and reports water quality; the lessons feed the city's future rules for new buildings.
- **Atelier Civitas** designs the gardens and rain storage.
- **The city** contributes to the extra cost of the dual pipework as a pilot for its building code update.

## Timeline

Designed with the buildings; installed during construction; first full year of data two years from now.

## Risks

Grey-water systems fail when nobody maintains them; that is why the utility operates them. Health rules require monthly testing, which is in the operating cost. If the system is stopped, toilets switch automatically to drinking water.
""",
    },
    {
        "title": "Batteries at two substations and shared EV charging in social-housing car parks in Riverside",
        "summary": "Riverbend Energy & Water proposes 4 MWh of batteries at two Riverside substations to absorb evening peaks, and 60 chargers in Harbourline car parks shared between tenants by day and ShareWheels electric cars by night, charged when the grid is least loaded.",
        "sectors": ["energy", "mobility", "housing"],
        "lead": UTILITY,
        "partners": [
            (
                HOMES,
                "partner",
                "Car-park space and electrical rooms in six buildings; information for tenants.",
                ACCEPTED,
            ),
            (
                SHARE,
                "operator",
                "Places 20 electric shared cars on the chargers and manages bookings.",
                ACCEPTED,
            ),
        ],
        "delivery": "concession",
        "capital": 5_200_000,
        "operating": 180_000,
        "ask": 250_000,
        "impacts": [
            ("residents_served", 1900, "people", 2027),
            ("co2_avoided", 380, "t_co2_per_year", 2028),
        ],
        "district": "Riverside",
        "point": ("45.489300", "-73.596200"),
        "status": "submitted",
        "age": 39,
        "body": """
## Context

Two Riverside substations are near their limit on winter evenings, when heating, cooking and the first electric cars all draw at once. Reinforcing them would cost about 9 M CAD. Meanwhile Harbourline's tenants, most of whom park outside, cannot charge an electric car at home, so they keep their old petrol cars.

## What we propose

- **Batteries**: 2 MWh at each substation, charged at night and midday, discharged during the 17:00–20:00 peak. This defers the substation reinforcement by at least ten years.
- **Shared chargers**: 60 chargers in six Harbourline car parks, smart-managed so that cars charge mostly after 22:00.
- **Car sharing**: 20 ShareWheels electric cars parked on the chargers at night, available to tenants and neighbours at a reduced rate.
- **Tenant access**: tenants with their own electric car get a reserved charging slot at the off-peak tariff.

## Who does what

| Who | Role |
| --- | --- |
| Riverbend Energy & Water | batteries, chargers, grid management; concession holder |
| Harbourline Homes | space, electrical rooms, tenant information |
| ShareWheels | shared cars, bookings, tenant discount |
| City | 15-year concession for chargers on two city-owned lots |

## Timeline

1. Months 1–6: battery procurement, charger design, concession.
2. Months 7–12: batteries installed and tested.
3. Months 10–15: chargers and shared cars, in two waves.

## Risks

- Battery prices fall each year; the utility can wait six months for a better price without delaying the winter peak it must solve.
- Fire safety of batteries near housing: both sites are on utility land, 30 m from the nearest home, in separate enclosures.
- Tenants may not use the shared cars: the reduced rate is funded for two years and use is reported quarterly.
""",
    },
    {
        "title": "Open energy benchmarking of Riverbend's 1,200 largest buildings, with free retrofit advice for owners",
        "summary": "The Urban Lab and the utility propose to publish, with owners' consent, the yearly energy and water use of the city's 1,200 largest buildings, rank them against similar buildings, and offer the lowest-ranked owners a free visit and a retrofit plan. Owners who act first get matched with financiers on Crosswalk.",
        "sectors": ["digital", "energy", "buildings"],
        "lead": LAB,
        "partners": [
            (
                UTILITY,
                "partner",
                "Provides yearly consumption per building for consenting owners, automatically.",
                ACCEPTED,
            ),
            (
                HOMES,
                "partner",
                "Publishes its 60 largest buildings first as an example.",
                ACCEPTED,
            ),
            (
                CAPITAL,
                "financer",
                "Offers retrofit loans to owners who receive a retrofit plan.",
                INVITED,
            ),
        ],
        "delivery": "grant",
        "capital": 420_000,
        "operating": 140_000,
        "ask": 300_000,
        "impacts": [
            ("energy_saved", 9000, "mwh_per_year", 2029),
            ("co2_avoided", 1400, "t_co2_per_year", 2029),
        ],
        "district": "University",
        "status": "submitted",
        "age": 104,
        "body": """
## Context

Buildings larger than 2,000 m² are under 5 % of Riverbend's buildings but use about 45 % of the energy of all buildings. Their owners rarely know how they compare with similar buildings, and tenants and buyers have no way to find out. Cities that publish this information have seen the worst buildings improve fastest.

## What we propose

- A voluntary benchmarking programme in the first two years, becoming a city by-law only if Council decides so later.
- Owners consent once; the utility then transfers yearly electricity, gas, heat and water use automatically.
- Each building gets a score against similar buildings (offices, schools, apartment blocks, shops), published on an open map.
- Owners in the bottom quarter are offered a free half-day visit by an engineer and a written retrofit plan.
- All data is published as open data under a licence that allows reuse.

## Who does what

1. **Urban Lab**: methodology, scoring, map and open data; training of two engineers for the visits.
2. **Riverbend Energy & Water**: automatic data transfer for consenting owners.
3. **Harbourline Homes**: publishes its 60 largest buildings first.
4. **Green Bridge Capital** (invited): retrofit loans for owners with a plan.

## Timeline

| Step | When |
| --- | --- |
| Method, consent forms, data pipeline | months 1–6 |
| First publication (about 300 buildings) | month 9 |
| Free visits and retrofit plans | months 10–24 |
| Second publication and evaluation | month 21 |

## Risks

Owners may not consent: the programme starts with public buildings (schools, libraries, arenas) and Harbourline's, about 250 buildings, and asks large owners' associations to join. Data errors could shame the wrong buildings: every owner sees their score and can correct it before publication.
""",
    },
    {
        "title": "Deconstruction and materials reuse hub in the Harbour district, with training for young builders",
        "summary": "Northgate Builders proposes a hub where buildings due for demolition are taken apart instead of crushed: timber, bricks, doors, radiators and fixtures are cleaned, graded and sold for reuse. The hub employs and trains 22 people a year, many of them young people without a diploma.",
        "sectors": ["waste", "buildings", "education"],
        "lead": BUILDERS,
        "partners": [
            (
                HOMES,
                "partner",
                "Commits the 14 buildings it plans to demolish over five years to deconstruction.",
                ACCEPTED,
            ),
            (
                LAB,
                "research",
                "Tracks tonnages and carbon savings; tests reclaimed timber strength with the civil engineering department.",
                ACCEPTED,
            ),
            (
                CAPITAL,
                "financer",
                "Equipment loan for the warehouse and sorting line.",
                ACCEPTED,
            ),
        ],
        "delivery": "private_investment",
        "capital": 3_400_000,
        "operating": 1_100_000,
        "ask": 450_000,
        "impacts": [
            ("waste_diverted", 6500, "t_per_year", 2028),
            ("jobs_created", 22, "jobs", 2027),
            ("co2_avoided", 2100, "t_co2_per_year", 2028),
        ],
        "district": "Harbour",
        "point": ("45.495600", "-73.540800"),
        "status": "submitted",
        "age": 62,
        "body": """
## Context

Construction and demolition waste is the largest waste stream in Riverbend by weight: about 180,000 tonnes a year. Most buildings demolished in the city are knocked down in days and sent to landfill or crushed into low-grade fill, including old-growth timber beams and bricks that new buildings would pay for. There is no place in the region that buys, grades and resells reclaimed materials at scale.

## What we propose

- A 4,000 m² warehouse in a vacant harbour shed with a cleaning and grading line.
- Deconstruction crews that take apart buildings before demolition: windows, doors, timber, bricks, radiators, steel, fixtures.
- Grading of reclaimed timber to structural standards, with the university's testing lab.
- A shop open to builders and residents, and an online catalogue.
- A training programme: 22 paid trainee places a year, with a certificate recognised by the construction trades.

| Material | Tonnes per year | Where it goes |
| --- | --- | --- |
| Timber | 1,800 | structural reuse, furniture |
| Bricks and stone | 3,200 | facades, landscaping |
| Fixtures, doors, windows | 600 | renovations |
| Metals | 900 | reuse or recycling |

## Who does what

Northgate runs the hub and the crews. Harbourline commits its planned demolitions. The Urban Lab measures results and tests materials. Green Bridge Capital lends for equipment. The city is asked to make a deconstruction survey mandatory for its own demolitions and to lease the shed at a reduced rent.

## Timeline

Shed works and equipment in eight months; first deconstruction (a Harbourline block on Quay Street) in month nine; full capacity in year three.

## Risks

Deconstruction takes longer than demolition: about three weeks more for a typical block. Owners will only accept that if the resale value offsets it, which the hub shares with them. Hazardous materials (asbestos, lead paint) are surveyed first and removed by licensed contractors.
""",
    },
    {
        "title": "Cool roofs, shade trees and drinking fountains for the South district's hottest blocks",
        "summary": "During the last heat wave, surface temperatures in four South district blocks were 8 °C above the city average, and ambulance calls for heat illness doubled there. Healthy Streets Alliance, Harbourline Homes and Atelier Civitas propose white roofs on 30 buildings, 400 trees, depaved alleys and 12 fountains, targeted at the blocks where most older and isolated residents live.",
        "sectors": ["health", "public_space", "buildings"],
        "lead": HEALTHY,
        "partners": [
            (
                HOMES,
                "partner",
                "Reflective roof coating on 18 of its buildings and shaded seating in their courtyards.",
                ACCEPTED,
            ),
            (
                CIVITAS,
                "partner",
                "Tree and alley design, soil volumes, fountain locations.",
                ACCEPTED,
            ),
            (
                UTILITY,
                "partner",
                "Water connections for the fountains and watering of young trees for three summers.",
                ACCEPTED,
            ),
        ],
        "delivery": "grant",
        "capital": 2_800_000,
        "operating": 75_000,
        "ask": 2_200_000,
        "impacts": [
            ("green_area", 14000, "m2", 2028),
            ("residents_served", 8500, "people", 2028),
            ("energy_saved", 900, "mwh_per_year", 2028),
        ],
        "district": "South",
        "point": ("45.474700", "-73.566400"),
        "status": "shortlisted",
        "age": 156,
        "answers": {
            "shortlisted": "Shortlisted. Heat is one of the city's top health risks and the targeting of older residents is convincing. We will look for a provincial climate adaptation grant to reduce the city's share.",
        },
        "body": """
## Context

Satellite images from last July show four blocks of the South district between Foundry Street and the rail line as the hottest part of Riverbend: flat black roofs, asphalt alleys and almost no trees. The same blocks have the highest share of residents over 75 living alone. Ambulance calls for heat illness there doubled during the five-day heat wave.

## What we propose

- **Cool roofs**: reflective coating on 30 flat roofs (18 Harbourline, 12 private owners who apply), lowering top-floor temperatures by 2–4 °C.
- **Trees**: 400 large-canopy trees in streets and courtyards, with enough soil volume to grow, and watering for the first three summers.
- **Alleys**: 2.1 km of asphalt alleys replaced by permeable paving and planting, with residents' committees choosing the design.
- **Fountains**: 12 drinking fountains and two misting points, open from May to September.
- **Buddy system**: Healthy Streets volunteers call or visit isolated residents during heat alerts.

## Who does what

| Partner | Contribution |
| --- | --- |
| Healthy Streets Alliance | targeting, residents' committees, buddy system |
| Harbourline Homes | roofs and courtyards of its buildings |
| Atelier Civitas | design of trees, alleys, fountains |
| Riverbend Energy & Water | water connections, watering of young trees |
| City | works in streets and alleys, planting |

## Timeline

Roofs in the first summer; trees planted in two autumn seasons; alleys over two years, one committee at a time.

## Risks

Trees die when their soil is too small or when nobody waters them: soil cells and three years of watering are in the budget. Private owners may not apply for cool roofs; the coating is free for them in the first year. Alleys need the agreement of neighbours, which takes time and is built into the schedule.
""",
    },
    {
        "title": "Mobility pass instead of a parking space for tenants of new Old Town housing",
        "summary": "ShareWheels proposes that tenants of new Old Town buildings without parking receive a monthly mobility pass (transit, car sharing, bike sharing and taxi credit) paid by the developer instead of building underground parking at 60,000 CAD a space.",
        "sectors": ["mobility", "housing", "digital"],
        "lead": SHARE,
        "partners": [
            (
                HOMES,
                "partner",
                "Would offer the pass in its next Old Town building instead of 40 parking spaces.",
                ACCEPTED,
            ),
            (
                LAB,
                "research",
                "Evaluation of travel behaviour of pass holders against tenants with parking.",
                ACCEPTED,
            ),
        ],
        "delivery": "ppp",
        "capital": 250_000,
        "operating": 180_000,
        "ask": 90_000,
        "impacts": [
            ("car_trips_avoided", 30000, "trips_per_year", 2027),
            ("residents_served", 150, "people", 2027),
        ],
        "district": "Old Town",
        "status": "withdrawn",
        "age": 122,
        "answers": {
            "withdrawn": "We are withdrawing this proposal to join forces with Harbourline Homes' Market Street car park conversion, which serves the same residents: the mobility pass will be part of that project instead of a separate one. Thank you to everyone who commented.",
        },
        "body": """
## Context

Riverbend's zoning still requires about one parking space per new home in Old Town, although 45 % of Old Town households do not own a car. Each underground space costs about 60,000 CAD to build, and that cost ends up in the rent. Tenants without a car pay for a space they do not use.

## What we propose

- The developer of a new building without (or with fewer) parking spaces funds a monthly mobility pass for each household for five years.
- The pass includes a monthly transit pass, 30 hours of car sharing, unlimited bike sharing and a 20 CAD taxi credit for late nights.
- Households manage the pass from one app and can swap parts they do not use for more of another.
- The city allows the parking reduction in exchange, under a standard agreement that any developer can sign.

## Who does what

1. **ShareWheels**: the app, car sharing, the agreements with the transit agency, bike sharing and taxi operators.
2. **Harbourline Homes**: first building to use it (40 fewer spaces).
3. **Urban Lab**: evaluation against tenants of similar buildings with parking.
4. **City**: standard agreement and parking reduction.

| Cost per household | Pass (5 years) | Parking space |
| --- | --- | --- |
| Developer | about 9,000 CAD | about 60,000 CAD |

## Timeline

Standard agreement drafted in four months; first building occupied about two years later.

## Risks

Tenants may buy cars anyway and park on the street; the city would need to limit on-street permits for these buildings. After five years, the pass ends unless tenants pay for it; the evaluation will show whether habits stayed.
""",
    },
    {
        "title": "Paid apprenticeships in solar and heat-pump installation for 60 young people a year",
        "summary": "Installers of solar panels and heat pumps in Riverbend turn down work for lack of skilled staff. SolarRoof Collective and Northgate Builders propose a 12-month paid apprenticeship, half on real retrofit sites and half in a training workshop, for young people from North and South who are not in work or school.",
        "sectors": ["energy", "education", "buildings"],
        "lead": SOLAR,
        "partners": [
            (
                BUILDERS,
                "partner",
                "Takes 30 apprentices a year on its heat-pump and retrofit sites; provides the training workshop.",
                ACCEPTED,
            ),
            (
                LAB,
                "research",
                "Follows apprentices for three years after the programme: jobs, wages, retention.",
                ACCEPTED,
            ),
            (
                UTILITY,
                "partner",
                "Electrical safety modules and ten placements in its metering teams.",
                INVITED,
            ),
        ],
        "delivery": "grant",
        "capital": 900_000,
        "operating": 650_000,
        "ask": 600_000,
        "impacts": [
            ("jobs_created", 60, "jobs", 2027),
            ("residents_served", 120, "people", 2028),
        ],
        "district": "North",
        "status": "submitted",
        "age": 48,
        "body": """
## Context

Every retrofit proposal on Crosswalk needs installers. Today SolarRoof waits eight weeks for an electrician, and heat-pump installers in the region have a backlog of four months. At the same time, about 3,400 young people aged 18 to 24 in North and South are neither working nor studying. Traditional trade schools have long waiting lists and do not pay.

## What we propose

- A 12-month paid apprenticeship (18 CAD an hour from day one), 60 places a year.
- Alternating weeks: one week on a real site with an experienced installer, one week in a training workshop in Northgate's North district yard.
- Skills: roofing safety, solar mounting and wiring, heat-pump installation and refrigerant handling, building airtightness, customer care.
- Certification: the refrigerant handling card and working-at-heights certificate, plus credits towards the provincial electrician apprenticeship.
- Mentoring and help with transport, childcare and driving licences.

## Who does what

| Who | What |
| --- | --- |
| SolarRoof Collective | coordination, 30 apprentices a year on solar sites |
| Northgate Builders | workshop, 30 apprentices a year on retrofit sites |
| Urban Lab | three-year follow-up of every apprentice |
| Riverbend Energy & Water (invited) | safety modules, ten placements |
| City | recruitment through its youth employment centres; share of wages |

## Timeline

Workshop fitted in three months; first cohort of 30 in month four, second cohort of 30 six months later, then two cohorts a year.

## Risks

Drop-out is high in programmes like this; mentoring and paid time are the answer, and the target is that 70 % finish. If the retrofit market slows, apprentices are placed with general contractors. The programme depends on the city's share of wages in the first two years, after which employers pay the full wage.
""",
    },
    {
        "title": "Adaptive LED street lighting that dims on empty streets and brightens for people walking and cycling",
        "summary": "Riverbend Energy & Water proposes to replace 14,000 sodium street lights with LED lights that dim to 30 % on empty streets late at night and brighten when a pedestrian or cyclist approaches, detected by simple motion sensors, not cameras. Paid back from the energy savings through an energy performance contract.",
        "sectors": ["energy", "safety", "digital"],
        "lead": UTILITY,
        "partners": [
            (
                CIVITAS,
                "partner",
                "Lighting design per street type, with priority on crossings, cycle lanes and bus stops.",
                ACCEPTED,
            ),
            (
                CYCLE,
                "partner",
                "Night walks with residents to find dark spots; feedback after each district is done.",
                ACCEPTED,
            ),
            (
                LAB,
                "research",
                "Studies the effect on night-time collisions and on residents' feeling of safety.",
                ACCEPTED,
            ),
        ],
        "delivery": "ppp",
        "capital": 6_800_000,
        "operating": 220_000,
        "ask": 1_800_000,
        "impacts": [
            ("energy_saved", 3900, "mwh_per_year", 2028),
            ("co2_avoided", 140, "t_co2_per_year", 2028),
        ],
        "district": "Harbour",
        "status": "under_review",
        "age": 109,
        "answers": {
            "under_review": "Under review. We have asked the consortium to confirm that no sensor records images or sound, and to share the lighting levels proposed for each street type.",
        },
        "body": """
## Context

Street lighting is the city's largest single electricity bill. About 14,000 of Riverbend's 31,000 street lights still use high-pressure sodium lamps that burn at full power all night, including on industrial streets where nobody walks after midnight. At the same time, residents report dark spots on walking routes and at bus stops, especially in the Harbour and South districts.

## What we propose

- Replace 14,000 sodium lights with warm-white LEDs (2,700 K or warmer, to limit glare and effects on wildlife).
- Connect each light to the utility's existing metering network so that it reports faults automatically.
- Dim to 30 % on streets with no activity between midnight and 5:00; brighten to full power for 90 seconds when a motion sensor detects someone walking or cycling.
- Keep crossings, bus stops and cycle lanes at full brightness all night.
- Start in the Harbour district, where the lights are oldest, then North, South and Riverside.

## Who does what

| Who | What |
| --- | --- |
| Riverbend Energy & Water | procurement, installation, maintenance for 15 years; paid from savings |
| Atelier Civitas | lighting plan per street type |
| Cycle Together | night walks with residents, feedback |
| Urban Lab | safety evaluation |
| City | owns the poles; pays a fixed yearly fee lower than today's electricity and maintenance bill |

## Timeline

Night walks and lighting plan in four months; Harbour district in the first year; the rest over the following two years.

## Risks

- Residents may feel that dimmed streets are unsafe: the Lab surveys them before and after, and dimming levels can be changed street by street remotely.
- Sensors are often suspected of surveillance: they detect motion only, store nothing, and their specification is published.
- LED prices and supply: the contract fixes prices for the whole programme.
""",
    },
    {
        "title": "Shore power for ships at the harbour's two passenger and ferry berths",
        "summary": "Cruise ships and ferries keep their diesel engines running at berth, a few hundred metres from homes and schools. The utility proposes to plug them into the grid at the two passenger berths, with a green bond and a berth fee, and Healthy Streets Alliance would measure the air quality before and after.",
        "sectors": ["energy", "health", "mobility"],
        "lead": UTILITY,
        "partners": [
            (
                CAPITAL,
                "financer",
                "Green bond tranche for the shore-side equipment, repaid from berth electricity fees.",
                ACCEPTED,
            ),
            (
                HEALTHY,
                "partner",
                "Air-quality monitoring in the three streets nearest the berths, with residents.",
                ACCEPTED,
            ),
        ],
        "delivery": "concession",
        "capital": 21_000_000,
        "operating": 400_000,
        "ask": 3_500_000,
        "impacts": [
            ("co2_avoided", 6800, "t_co2_per_year", 2029),
            ("residents_served", 9000, "people", 2029),
        ],
        "district": "Harbour",
        "point": ("45.499400", "-73.538600"),
        "status": "submitted",
        "age": 33,
        "body": """
## Context

The harbour's two passenger berths receive about 90 cruise calls a season and a ferry that overnights at berth all year. While docked, ships run diesel generators for lighting, heating and kitchens. Residents of Quay Street and Harbour Terrace, 250 m away, complain of fumes and low-frequency noise, and the district's monitoring station records its highest nitrogen dioxide levels on cruise days.

## What we propose

- High-voltage shore connections at both berths (12 MW for the cruise berth, 3 MW for the ferry berth).
- A new feeder from the harbour substation, which has spare capacity since the container terminal moved.
- A berth electricity fee set so that plugging in costs ships no more than running their generators.
- From the third season, a harbour rule that ships able to connect must do so.
- Air-quality and noise monitoring before and after, published monthly.

| Berth | Ships per year | Hours at berth per year |
| --- | --- | --- |
| Cruise berth | about 90 calls | about 900 |
| Ferry berth | daily overnight | about 3,300 |

## Who does what

Riverbend Energy & Water builds and operates the connections under a 25-year concession from the harbour authority. Green Bridge Capital finances the equipment through a green bond tranche. Healthy Streets Alliance runs the monitoring with residents. The city contributes the street works for the new feeder.

## Timeline

Design and agreements with cruise lines in the first year; ferry berth first (simpler and used every day), cruise berth for the following season.

## Risks

Not all cruise ships are equipped to connect; about 60 % of those calling here are today, and the share grows each year. Electricity fees must stay competitive with marine diesel; the model holds at diesel prices 25 % below today's. Works on the quay must fit between seasons.
""",
    },
    {
        "title": "Repair café and tool library in two empty Old Town shops, next to Cycle Together's bike workshop",
        "summary": "Cycle Together's volunteer bike workshop turns away people every Saturday. We propose to open the two empty shops next to it as a repair café (small appliances, clothes, electronics) and a tool library where residents borrow drills, ladders and garden tools instead of buying them.",
        "sectors": ["waste", "public_space", "education"],
        "lead": CYCLE,
        "partners": [
            (
                HOMES,
                "partner",
                "Lets the two shops at a reduced rent for five years.",
                ACCEPTED,
            ),
            (
                COMPOST,
                "partner",
                "Runs a monthly workshop on composting and balcony gardening in the space.",
                INVITED,
            ),
        ],
        "delivery": "cooperative",
        "capital": 150_000,
        "operating": 95_000,
        "ask": 70_000,
        "impacts": [
            ("waste_diverted", 40, "t_per_year", 2027),
            ("residents_served", 2500, "people", 2027),
        ],
        "district": "Old Town",
        "point": ("45.506900", "-73.556800"),
        "status": "draft",
        "age": 14,
        "body": """
## Context

Cycle Together's bike workshop on Main Street has fixed 1,900 bikes in three years with volunteers. People keep bringing other things: toasters, lamps, jackets with broken zips. Next door, two shops owned by Harbourline Homes have been empty for 18 months. Most Old Town residents live in small flats with no room to store tools they use twice a year.

## What we propose

- **Repair café**: open Saturdays and two evenings a week, with volunteer fixers for small appliances, electronics, clothes and furniture, and paid coordination.
- **Tool library**: about 600 tools, from drills to ladders to pressure washers, borrowed for a week with a yearly membership of 30 CAD (free for low-income residents).
- **Workshops**: basic repair skills, sewing, bike maintenance for beginners, in English and French.
- **Run as a cooperative** of members and volunteers, with a board elected each year.

## Who does what

1. Cycle Together sets up the cooperative and shares its workshop and volunteers.
2. Harbourline Homes lets the shops at a reduced rent.
3. Compost & Co (invited) runs monthly workshops.
4. The city funds the fit-out and a coordinator for two years.

## Timeline

| Step | When |
| --- | --- |
| Fit-out and tool collection | months 1–3 |
| Opening | month 4 |
| Review of membership and opening hours | month 12 |

## Risks

Volunteer fixers are the heart of it; we already have 35 names from the bike workshop. Tools get lost or broken: the membership and a deposit for expensive tools cover it. Insurance for volunteers is included in the budget.
""",
    },
    {
        "title": "Pay-as-you-throw pilot with smart bins in the University district",
        "summary": "Compost & Co and the Urban Lab propose a pilot where households in 2,000 University district homes pay for residual waste by the bag through shared smart bins, while recycling and food waste stay free. The aim is to test whether pricing reduces landfill waste without increasing illegal dumping.",
        "sectors": ["waste", "digital", "finance"],
        "lead": COMPOST,
        "partners": [
            (
                LAB,
                "research",
                "Designs the pilot and the comparison with a similar area; monitors illegal dumping.",
                INVITED,
            ),
        ],
        "delivery": "public_procurement",
        "capital": 2_100_000,
        "operating": 300_000,
        "ask": 1_900_000,
        "impacts": [
            ("waste_diverted", 1100, "t_per_year", 2028),
            ("residents_served", 4600, "people", 2028),
        ],
        "district": "University",
        "status": "draft",
        "age": 4,
        "body": """
## Context

Residual waste collection in Riverbend is paid through property tax, so a household that sorts carefully pays the same as one that throws everything in one bag. Recycling rates in the University district, with many students and short leases, are the lowest in the city at 22 %. Cities elsewhere that charge by the bag have cut residual waste by a quarter to a third.

## What we propose

- Replace individual bins in 2,000 homes with 60 shared underground bins opened by a resident card.
- Residual waste: 1.50 CAD per 50-litre opening, charged monthly; the property tax is reduced by the same average amount, so the average household pays the same.
- Recycling and food waste: free, in bins next to the residual ones.
- Low-income households receive 100 free openings a year.
- Monthly statement showing each household its use against the neighbourhood average.

## Who does what

- Compost & Co runs the food-waste stream and the resident information.
- The Urban Lab (invited) designs the evaluation and tracks illegal dumping with the city's 311 data.
- The city procures the bins and adjusts the tax.

| Measure | Target after one year |
| --- | --- |
| Residual waste | down 25 % |
| Recycling rate | from 22 % to 35 % |
| Illegal dumping reports | no increase |

## Timeline

Consultation with residents and landlords in the first six months; bins installed over the summer; one-year pilot from September to match student leases.

## Risks

Illegal dumping is the main fear: bins are placed where they are visible, and the pilot stops if dumping reports rise by more than 20 %. Privacy: card data is used only for billing. This is a draft while we confirm the Urban Lab's participation and check the tax adjustment with the city's finance department.
""",
    },
    {
        "title": "Secure bike rooms and a fix-it workshop in 12 Riverside social-housing courtyards",
        "summary": "Tenants of Harbourline's Riverside buildings say they do not cycle because bikes get stolen and there is nowhere to store them. Cycle Together proposes locked, lit bike rooms for 900 bikes in 12 courtyards, a monthly fix-it day, and 100 refurbished bikes lent to tenants for a year.",
        "sectors": ["mobility", "housing", "safety"],
        "lead": CYCLE,
        "partners": [
            (
                HOMES,
                "partner",
                "Courtyard space and conversion of unused storage rooms; badge access for tenants.",
                ACCEPTED,
            ),
            (
                CIVITAS,
                "partner",
                "Design of the bike rooms and the ramps to the cycle network.",
                ACCEPTED,
            ),
            (
                SHARE,
                "partner",
                "Two cargo bikes for shared use in each courtyard.",
                DECLINED,
            ),
        ],
        "delivery": "grant",
        "capital": 620_000,
        "operating": 40_000,
        "ask": 450_000,
        "impacts": [
            ("car_trips_avoided", 35000, "trips_per_year", 2027),
            ("residents_served", 2400, "people", 2027),
        ],
        "district": "Riverside",
        "point": ("45.488200", "-73.600900"),
        "status": "under_review",
        "age": 91,
        "body": """
## Context

In a survey we ran with tenants of 12 Harbourline buildings in Riverside, 61 % said they would cycle more if they could store a bike safely; 38 % had had a bike stolen in the last five years. Bikes end up on balconies or in flats, or are not bought at all. Riverside is flat, and the new river cycle path passes 300 m away.

## What we propose

- 12 locked, lit bike rooms with badge access, about 75 spaces each, including spaces for cargo bikes, trailers and adapted bikes.
- Conversion of unused storage rooms where they exist; small timber shelters with green roofs elsewhere.
- Ramps and dropped kerbs linking each courtyard to the river cycle path.
- A monthly fix-it day in each courtyard, run by Cycle Together volunteers.
- 100 refurbished bikes lent free to tenants for a year, with a lock, lights and a short riding course.

## Who does what

| Who | What |
| --- | --- |
| Cycle Together | tenant survey, fix-it days, bike loans, riding courses |
| Harbourline Homes | space, badge system, maintenance of the rooms |
| Atelier Civitas | design of rooms and ramps |
| City | grant for construction; kerbs and ramps on public land |

## Timeline

1. Design with tenants' committees: months 1–3.
2. Six bike rooms built: months 4–8.
3. Six more the following spring, with the loan bikes.

## Risks

Badge systems break and rooms become dumping grounds if nobody manages them: Harbourline includes them in its caretakers' rounds. Some tenants fear losing storage space; committees decide where the rooms go.
""",
    },
    {
        "title": "Senior co-living with telecare: 64 small homes around shared spaces for older Old Town residents",
        "summary": "Harbourline Homes proposes a building of 64 small flats for residents over 65, with shared kitchen, lounge and guest room, a part-time coordinator, and optional telecare (fall sensors, a video call button) supported by a community nurse. Older residents can stay in Old Town, close to their friends, and free up family homes.",
        "sectors": ["housing", "health", "digital"],
        "lead": HOMES,
        "partners": [
            (
                HEALTHY,
                "partner",
                "Community nurse visits twice a week and health workshops for residents.",
                ACCEPTED,
            ),
            (
                LAB,
                "research",
                "Evaluates loneliness, hospital visits and moves to long-term care with residents' consent.",
                ACCEPTED,
            ),
            (
                BUILDERS,
                "partner",
                "Construction with accessible design throughout; timber frame on a concrete base.",
                ACCEPTED,
            ),
        ],
        "delivery": "private_investment",
        "capital": 16_500_000,
        "operating": 520_000,
        "ask": 900_000,
        "impacts": [
            ("homes", 64, "homes", 2029),
            ("residents_served", 80, "people", 2029),
            ("jobs_created", 12, "jobs", 2029),
        ],
        "district": "Old Town",
        "status": "submitted",
        "age": 75,
        "body": """
## Context

One Old Town resident in four is over 65, and many live alone in family-sized flats on upper floors with no lift. When climbing the stairs becomes too hard, the only option is a care home far from the district. Meanwhile, families look for larger homes in vain. Between full independence and a care home there is almost nothing.

## What we propose

- A five-storey building on the former Harbourline depot site on Chapel Street, with a lift, step-free throughout.
- 64 flats of 40 to 55 m², each with a kitchen and an accessible bathroom.
- Shared spaces: a large kitchen and dining room, a lounge, a workshop, a guest room for visiting family, a roof garden.
- A part-time coordinator who organises shared meals and activities with residents.
- Optional telecare: fall sensors and a call button linked to a 24-hour service, with video calls to the community nurse. No cameras in flats.
- Rents capped at 30 % of residents' income for half of the flats.

## Who does what

| Partner | Role |
| --- | --- |
| Harbourline Homes | developer, owner, landlord |
| Northgate Builders | construction |
| Healthy Streets Alliance | community nurse, workshops |
| Urban Lab | evaluation |
| City | land-use change and a contribution to the shared spaces |

Residents moving from a Harbourline family flat get priority, and their flat goes to a family on the waiting list.

## Timeline

Permit in 12 months; construction over 20 months; first residents about three years after approval.

## Risks

Telecare can feel intrusive: it is optional and residents choose which sensors to keep. The coordinator's post depends on a service charge that residents must accept; it is set with a future residents' group before opening.
""",
    },
    {
        "title": "Rooftop greenhouse on the harbour data centre, heated by its servers, growing vegetables for local schools",
        "summary": "The Harbour Data Centre proposes a 2,500 m² greenhouse on its roof, heated all winter by server waste heat, producing about 90 tonnes of vegetables a year for school canteens and the harbour food bank. Compost & Co runs it and the Urban Lab uses it for school visits.",
        "sectors": ["food", "energy", "education"],
        "lead": DATA_CENTRE,
        "partners": [
            (
                COMPOST,
                "operator",
                "Runs the greenhouse, employs the growers and supplies compost.",
                ACCEPTED,
            ),
            (
                LAB,
                "research",
                "School visit programme and research on year-round urban growing in a cold climate.",
                ACCEPTED,
            ),
        ],
        "delivery": "private_investment",
        "capital": 3_900_000,
        "operating": 560_000,
        "ask": 0,
        "impacts": [
            ("jobs_created", 18, "jobs", 2028),
            ("co2_avoided", 150, "t_co2_per_year", 2028),
            ("residents_served", 6000, "people", 2028),
        ],
        "district": "Harbour",
        "point": ("45.497300", "-73.542700"),
        "status": "submitted",
        "age": 21,
        "body": """
## Context

Almost all fresh vegetables eaten in Riverbend from November to April are trucked from thousands of kilometres away. Heated greenhouses in this climate burn a lot of gas. On the data centre's roof, dry coolers throw away heat at 30–35 °C all year, and the roof has spare structural capacity because it was designed for a second cooling plant that was never built.

## What we propose

- A 2,500 m² glass greenhouse on the roof, heated by the data centre's waste heat through a small water loop; no fossil heating at all.
- Hydroponic growing of leafy greens, herbs and tomatoes, with LED top-up lighting in December and January.
- About 90 tonnes a year: 60 % sold to school canteens at cost, 20 % donated to the harbour food bank, 20 % sold to local restaurants.
- A classroom corner and a visit route for 200 school classes a year.

## Who does what

1. **Harbour Data Centre** finances and builds the greenhouse and supplies heat free of charge.
2. **Compost & Co** runs it, employs 18 people (half from the harbour district) and supplies compost for the substrate.
3. **Urban Lab** runs the school programme and publishes yields and energy use.

No money is asked of the city: we ask for a building permit decision within the normal delay and help to reach the school board's canteens.

| Product | Tonnes per year |
| --- | --- |
| Leafy greens | 55 |
| Tomatoes | 25 |
| Herbs | 10 |

## Timeline

Structural check and permit in six months; construction in eight months; first harvest within a year and a half.

## Risks

The roof is above a critical facility, so construction rules inside the data centre are strict; the greenhouse is built on its own steel frame resting on existing columns. If sales to canteens are lower than planned, the restaurant share rises.
""",
    },
    {
        "title": "Depaving North district schoolyards into shaded green playgrounds that soak up storm water",
        "summary": "Atelier Civitas proposes to replace the asphalt of eight North district schoolyards with trees, grass, sand, play hills and permeable surfaces designed with pupils, taking storm water off the sewer and giving the neighbourhood green space after school hours.",
        "sectors": ["water", "education", "public_space", "health"],
        "lead": CIVITAS,
        "partners": [
            (
                HEALTHY,
                "partner",
                "Design workshops with pupils and parents; measures play and activity before and after.",
                ACCEPTED,
            ),
            (
                UTILITY,
                "partner",
                "Storm-water credit: pays for the infiltration works in exchange for the sewer capacity freed.",
                ACCEPTED,
            ),
            (
                BUILDERS,
                "operator",
                "Carries out the works during summer holidays; reuses the broken asphalt as sub-base.",
                ACCEPTED,
            ),
        ],
        "delivery": "public_procurement",
        "capital": 3_600_000,
        "operating": 55_000,
        "ask": 3_100_000,
        "impacts": [
            ("green_area", 19500, "m2", 2028),
            ("water_saved", 14000, "m3_per_year", 2028),
            ("residents_served", 4200, "people", 2028),
        ],
        "district": "North",
        "point": ("45.530700", "-73.571800"),
        "status": "shortlisted",
        "age": 171,
        "answers": {
            "shortlisted": "Shortlisted. It combines storm-water relief, heat protection and play for children, and the school board has agreed to open the yards after hours. We will decide together with the modular classrooms proposal, which touches two of the same schools.",
        },
        "body": """
## Context

The eight schoolyards of the North district cover 2.4 ha, almost all of it asphalt. On a June afternoon their surface reaches 50 °C; in heavy rain they send all their water to a combined sewer that overflows into the river. The district has the least green space per resident in Riverbend, and the yards are locked after 16:00.

## What we propose

- Remove about 70 % of the asphalt and replace it with grass, planted areas, sand and woodchip play areas, and permeable paving for ball games.
- Plant 240 trees for shade, with at least one large shaded area per yard.
- Shape play hills and rain gardens that collect the water from the remaining hard surfaces and the school roofs.
- Open the yards to the neighbourhood after school and in summer, managed by the borough.
- Design each yard with its pupils in workshops during the school year.

## Who does what

| Organisation | Role |
| --- | --- |
| Atelier Civitas Engineering | design, tender documents, site supervision |
| Healthy Streets Alliance | workshops with pupils and parents, evaluation |
| Riverbend Energy & Water | pays for infiltration works from its storm-water budget |
| Northgate Builders | summer works; reuse of the broken asphalt |
| City and school board | procurement; opening after hours |

## Timeline

Design workshops in the first school year; four yards in the first summer, four in the second. Each yard is closed for eight weeks only, all in July and August.

## Risks

Grass wears out quickly under heavy use: the design uses robust mixes and rotates areas. Parents worry about mud: paths and a boot-cleaning area at each entrance. Opening after hours needs a caretaker arrangement, which the borough has agreed to fund for three years.
""",
    },
    {
        "title": "Workplace EV charging in the University district that follows the midday solar output",
        "summary": "Riverbend Energy & Water, SolarRoof Collective and ShareWheels propose 120 smart chargers in four employer car parks under solar canopies, charging staff and shared cars mostly between 10:00 and 15:00 when the panels produce, and never during the evening peak.",
        "sectors": ["energy", "mobility", "digital"],
        "lead": UTILITY,
        "partners": [
            (
                SOLAR,
                "partner",
                "Solar canopies over the four car parks, about 900 kWp in total.",
                ACCEPTED,
            ),
            (
                SHARE,
                "partner",
                "Places shared electric cars on the chargers in the evening and at weekends.",
                INVITED,
            ),
        ],
        "delivery": "private_investment",
        "capital": 3_300_000,
        "operating": 95_000,
        "ask": 0,
        "impacts": [
            ("energy_produced", 1000, "mwh_per_year", 2028),
            ("co2_avoided", 420, "t_co2_per_year", 2028),
        ],
        "district": "University",
        "point": ("45.506300", "-73.577400"),
        "status": "draft",
        "age": 6,
        "body": """
## Context

The university, the hospital research centre and two office buildings in the University district have 2,600 parking spaces between them and 31 chargers. Staff who drive electric cars charge at home in the evening, exactly when the grid is most loaded. Midday is when solar output peaks and when those cars stand still in the car parks.

## What we propose

- Solar canopies over four car parks (about 900 kWp), also sheltering cars from snow.
- 120 smart chargers that share the available power: they charge mostly from 10:00 to 15:00 and never between 17:00 and 20:00.
- A simple rule for staff: plug in on arrival, the system decides when to charge, and the car is full by the time you leave.
- Shared electric cars from ShareWheels use the chargers in the evening and at weekends.

## Who does what

- **Riverbend Energy & Water**: chargers and smart control; owns and operates them.
- **SolarRoof Collective**: canopies, under a power purchase agreement with the employers.
- **ShareWheels** (invited): shared cars.
- **Employers**: space, and a charging price below the home tariff for their staff.

| Car park | Spaces | Chargers |
| --- | --- | --- |
| University east | 900 | 40 |
| Hospital research | 700 | 35 |
| Campus Tower | 550 | 25 |
| College Road offices | 450 | 20 |

## Timeline

Draft: agreements with employers in progress. Target is canopies and chargers in the first car park within a year.

## Risks

Staff may want to charge whenever they like; the system lets them ask for a fast charge at a higher price. Winter solar output is low, so the chargers also use grid power at night-time rates when needed.
""",
    },
    {
        "title": "Peer energy coaches for 1,500 social-housing households in North, recruited among the tenants",
        "summary": "Harbourline Homes proposes to hire and train eight tenants as paid energy coaches who visit their neighbours, fix small things on the spot (draught strips, radiator reflectors, LED bulbs, thermostat settings) and help them read bills and apply for energy assistance.",
        "sectors": ["energy", "housing", "education"],
        "lead": HOMES,
        "partners": [
            (
                UTILITY,
                "partner",
                "Training on bills and tariffs; fast-track access to its energy assistance programme.",
                ACCEPTED,
            ),
            (
                LAB,
                "research",
                "Compares the consumption of visited and not-yet-visited homes, with consent.",
                ACCEPTED,
            ),
        ],
        "delivery": "grant",
        "capital": 90_000,
        "operating": 310_000,
        "ask": 180_000,
        "impacts": [
            ("energy_saved", 1700, "mwh_per_year", 2027),
            ("jobs_created", 8, "jobs", 2027),
            ("residents_served", 3600, "people", 2027),
        ],
        "district": "North",
        "status": "submitted",
        "age": 112,
        "body": """
## Context

Harbourline's 1,500 homes in North are heated with electric baseboards. Many tenants run up winter bills they cannot pay, and the utility's energy assistance programme is under-used because people do not know about it or find the forms hard. Leaflets and websites do not reach them; a neighbour knocking on the door does.

## What we propose

- Hire eight tenants as part-time energy coaches for two years, paid at a living wage, trained for three weeks.
- Each coach visits about 100 homes a year, by appointment, for about an hour.
- During the visit: draught strips on doors and windows, radiator reflectors, LED bulbs, thermostat settings, a look at the last bill, and help applying for assistance if eligible.
- A follow-up call after the first winter bill.
- Monthly evenings in each building's common room on a topic chosen by tenants.

## Who does what

| Who | What |
| --- | --- |
| Harbourline Homes | employs and supervises the coaches; buys the materials |
| Riverbend Energy & Water | training on bills and tariffs; assistance fast track |
| Urban Lab | evaluation of savings with consenting households |
| City | grant covering half of the coaches' wages |

## Timeline

1. Recruitment and training: months 1–3.
2. Visits: months 4–24, starting before the first winter.
3. Evaluation after two winters.

## Risks

Coaching savings can fade over time; the follow-up call and the evenings aim to keep them. Some tenants will not open their door: coaches work in the buildings they live in, where they are known. If savings are lower than 6 % per visited home, we stop after the first year.
""",
    },
    {
        "title": "River flood early warning: water-level sensors and text alerts for Riverside residents",
        "summary": "The river rose into Riverside basements twice in five years with only a few hours' warning. The utility, the Urban Lab and Atelier Civitas propose 25 water-level and rain sensors upstream and in the sewers, a forecasting model, and alerts by text, phone and door-knocking for the 4,000 homes at risk.",
        "sectors": ["water", "safety", "digital"],
        "lead": UTILITY,
        "partners": [
            (
                LAB,
                "research",
                "Builds and validates the flood forecasting model; publishes the sensor data openly.",
                ACCEPTED,
            ),
            (
                CIVITAS,
                "partner",
                "Maps which streets and homes flood at each river level.",
                ACCEPTED,
            ),
            (
                CYCLE,
                "partner",
                "Recruits block volunteers who knock on doors of residents who do not use phones.",
                ACCEPTED,
            ),
        ],
        "delivery": "public_procurement",
        "capital": 1_300_000,
        "operating": 160_000,
        "ask": 1_100_000,
        "impacts": [
            ("residents_served", 11000, "people", 2027),
        ],
        "district": "Riverside",
        "point": ("45.486000", "-73.605200"),
        "status": "under_review",
        "age": 143,
        "body": """
## Context

In the spring floods of two and five years ago, the river rose 1.8 m in 30 hours and flooded about 600 basements in Riverside. Residents who had a few more hours moved belongings and cars; many had none, because warnings came through the radio and the city website. Older residents and newcomers who do not speak English or French were the last to know.

## What we propose

- 25 sensors: river levels at five points upstream, rain gauges in the catchment, and levels in the main Riverside sewers.
- A forecasting model that estimates the river level at Riverside 6 to 48 hours ahead, updated every 15 minutes.
- A flood map showing which streets are affected at each level, so that alerts target only the homes at risk.
- Alerts by text, voice call and e-mail in five languages, with sign-up by phone or at the library.
- Block volunteers who knock on the doors of residents without phones or with reduced mobility.

| Alert level | Meaning | What residents do |
| --- | --- | --- |
| Watch | flooding possible in 48 h | move valuables from basements |
| Warning | flooding likely in 12 h | move cars, check on neighbours |
| Evacuate | flooding imminent | leave, follow the route given |

## Who does what

The utility procures and maintains the sensors and runs the alert system; the Urban Lab builds the model; Atelier Civitas maps the flood levels street by street; Cycle Together recruits volunteers.

## Timeline

Sensors and sign-up before next spring's flood season; model validated over the first season, fully operational the following year.

## Risks

False alarms erode trust: the model is tested on the last 30 years of river data before any public alert. Sensors in rivers are damaged by ice; they are installed on bridge piers with heated housings. Sign-up may be low: door-to-door sign-up is planned in the 4,000 homes at risk.
""",
    },
    {
        "title": "Community land trust for 160 permanently affordable homes near the new University district tram stop",
        "summary": "Land prices around the new tram stop on College Road have risen 40 % in two years. Green Bridge Capital, Harbourline Homes and Northgate Builders propose a community land trust that owns the land for good, builds 160 homes sold or rented below market, and keeps them affordable on resale.",
        "sectors": ["housing", "finance", "mobility"],
        "lead": CAPITAL,
        "partners": [
            (
                HOMES,
                "partner",
                "Manages the 90 rental homes on behalf of the trust.",
                ACCEPTED,
            ),
            (
                BUILDERS,
                "partner",
                "Design-build of the two buildings at a fixed price.",
                ACCEPTED,
            ),
            (
                CYCLE,
                "partner",
                "Represents residents of the surrounding streets on the trust's board.",
                INVITED,
            ),
        ],
        "delivery": "cooperative",
        "capital": 42_000_000,
        "operating": 350_000,
        "ask": 4_800_000,
        "impacts": [
            ("homes", 160, "homes", 2029),
            ("residents_served", 380, "people", 2029),
            ("car_trips_avoided", 45000, "trips_per_year", 2029),
        ],
        "district": "University",
        "point": ("45.502100", "-73.586900"),
        "status": "submitted",
        "age": 128,
        "edit": {
            "note": "Added the car trips avoided, estimated from the Urban Lab's travel survey around the tram stop.",
            "impacts_before": [
                ("homes", 160, "homes", 2029),
                ("residents_served", 380, "people", 2029),
            ],
        },
        "body": """
## Context

The new tram stop on College Road opens in two years. Land prices within 500 m have already risen by 40 %, and the homes that will be built there are likely to be out of reach for the nurses, students and service workers who need the tram most. Affordable housing subsidies usually last 20 or 25 years; after that the homes return to the market.

## What we propose

- A non-profit community land trust, governed by residents, neighbours and public representatives in equal thirds.
- The trust buys (or receives from the city on a long lease) two lots next to the stop.
- It builds 160 homes: 90 rented at 30 % below market, 70 sold to households who buy the building but not the land, at about 35 % below market.
- On resale, owners keep their own payments and a share of the price rise, but the home is sold to another eligible household at a capped price, for good.
- Ground floors for a daycare and shops; 0.3 parking spaces per home, with car sharing.

## Financing

| Source | Amount (CAD) |
| --- | --- |
| Social bond placed by Green Bridge Capital | 24 M |
| Sales of the 70 homes | 11 M |
| City land contribution (long lease) | 4.8 M |
| Federal housing programme loan | 2.2 M |

## Who does what

Green Bridge Capital structures the financing and sits on the board in the first years; Northgate builds; Harbourline manages the rentals; Cycle Together (invited) represents neighbours.

## Timeline

Trust set up and land secured in the first year; permits and design in the second; homes ready about when the tram opens, or shortly after.

## Risks

Land trusts are new in Riverbend; buyers and lenders must understand the resale rules, so mortgage terms have been discussed with two local credit unions. Construction costs are fixed in the design-build contract.
""",
    },
    {
        "title": "Heated, solar-powered bus shelters with real-time arrival screens on three South district routes",
        "summary": "Most South district bus stops are a pole and a sign. Atelier Civitas and SolarRoof Collective propose 60 shelters with solar roofs, a small battery, a heated bench for the coldest days, lighting and a real-time arrival screen, paid for by a concession that allows discreet advertising on 20 of them.",
        "sectors": ["mobility", "energy", "public_space"],
        "lead": CIVITAS,
        "partners": [
            (
                SOLAR,
                "partner",
                "Solar roofs and batteries; remote monitoring of production and faults.",
                ACCEPTED,
            ),
            (
                UTILITY,
                "partner",
                "Grid back-up connection at the 20 busiest stops.",
                ACCEPTED,
            ),
        ],
        "delivery": "concession",
        "capital": 2_600_000,
        "operating": 190_000,
        "ask": 400_000,
        "impacts": [
            ("residents_served", 18000, "people", 2028),
            ("energy_produced", 85, "mwh_per_year", 2028),
        ],
        "district": "South",
        "status": "submitted",
        "age": 88,
        "body": """
## Context

Routes 12, 27 and 41 carry 18,000 riders a day through the South district, many of them older residents and shift workers. Of their 94 stops in the district, 71 have no shelter, and waiting in January at –20 °C is a reason people give for driving instead. Real-time arrival information is only available on a phone.

## What we propose

- 60 shelters on the three routes, prioritised by boardings and by the share of older riders.
- Solar roofs (about 1.4 kWp each) with a battery powering LED lighting, the arrival screen and a heated bench that switches on below –10 °C when someone sits down.
- Grid back-up at the 20 busiest stops.
- Clear side panels, a step-free platform and a bench with armrests at every shelter.
- Advertising limited to 20 shelters, on one side panel only, never at stops next to schools.

## Who does what

| Who | What |
| --- | --- |
| Atelier Civitas Engineering | shelter design, stop layouts, concession holder |
| SolarRoof Collective | solar roofs, batteries, monitoring |
| Riverbend Energy & Water | grid back-up at 20 stops |
| City and transit agency | stop locations, data feed, 12-year concession |

## Timeline

Prototype shelter on route 27 in four months, tested through one winter; remaining shelters installed over the following spring and summer.

## Risks

Winter solar output is low, so the heated bench is limited to short cycles and uses the grid where available. Vandalism: panels are laminated and the screen sits behind toughened glass. Advertising revenue may fall short; the city's contribution then covers maintenance up to a cap.
""",
    },
    {
        "title": "A sustainability-linked bond to complete Riverbend's protected cycle network by 2030",
        "summary": "Green Bridge Capital proposes that the city issue a 24 M CAD sustainability-linked bond to build the 38 km of missing protected cycle links, with an interest rate that falls if cycling reaches agreed targets. Residents could buy in from 500 CAD. Cycle Together and Atelier Civitas would define the network and the targets.",
        "sectors": ["mobility", "finance", "health"],
        "lead": CAPITAL,
        "partners": [
            (
                CYCLE,
                "partner",
                "Defines the missing links with members and residents; co-chairs the bond's impact committee.",
                ACCEPTED,
            ),
            (
                CIVITAS,
                "partner",
                "Cost estimates and preliminary design of the 38 km.",
                ACCEPTED,
            ),
            (
                HEALTHY,
                "partner",
                "Health impact assessment of the network.",
                INVITED,
            ),
        ],
        "delivery": "bond",
        "capital": 24_000_000,
        "operating": 300_000,
        "ask": 5_000_000,
        "impacts": [
            ("car_trips_avoided", 1200000, "trips_per_year", 2030),
            ("co2_avoided", 2600, "t_co2_per_year", 2030),
            ("residents_served", 65000, "people", 2030),
        ],
        "district": "University",
        "status": "under_review",
        "age": 137,
        "answers": {
            "under_review": "Under review by the finance department. The idea of a lower rate tied to results is attractive; we need to check how a retail tranche fits the city's borrowing rules.",
        },
        "body": """
## Context

Riverbend has 112 km of protected cycle lanes, but they do not connect: 38 km of missing links, mostly at bridges, rail crossings and busy intersections, cut the network into islands. Surveys show that people who do not cycle today would do so if they could ride a whole trip protected. The city's capital plan funds about 3 km a year, which would take more than a decade.

## What we propose

- The city issues a 24 M CAD sustainability-linked bond over 15 years to build all 38 km within four years.
- The interest rate steps down by 0.25 points if, by year five, cycling's share of trips reaches 8 % (from 4.5 % today) and serious cyclist injuries fall by a third.
- A retail tranche of 5 M CAD lets Riverbend residents buy in from 500 CAD.
- An impact committee (city, investors, Cycle Together) publishes progress every year.

## Who does what

1. **Green Bridge Capital** structures the bond, finds institutional investors and runs the retail offer.
2. **Cycle Together** identifies the links with residents and co-chairs the impact committee.
3. **Atelier Civitas** costs and designs the links.
4. **Healthy Streets Alliance** (invited) assesses the health impact.
5. **The city** issues the bond, builds the links and repays.

| Missing links | Length |
| --- | --- |
| River crossings (3 bridges) | 4 km |
| Rail crossings | 6 km |
| Main corridors | 21 km |
| Neighbourhood connectors | 7 km |

## Timeline

Bond issued within nine months of approval; construction over four seasons; targets measured in year five.

## Risks

If targets are missed, the rate steps up by 0.25 points instead, costing the city about 60,000 CAD a year; that is the price of the incentive. Counting cycling trips reliably needs permanent counters, which are in the budget.
""",
    },
    {
        "title": "Food rescue from Old Town restaurants and grocers to community fridges and the harbour food bank",
        "summary": "Compost & Co proposes to collect unsold but good food from 60 restaurants, bakeries and grocers in Old Town every evening by cargo bike, sort it in a cold room, and stock five community fridges and the harbour food bank, composting only what cannot be eaten.",
        "sectors": ["food", "waste", "health"],
        "lead": COMPOST,
        "partners": [
            (
                HEALTHY,
                "partner",
                "Food safety training for volunteers and nutrition workshops at the fridges.",
                ACCEPTED,
            ),
            (
                HOMES,
                "partner",
                "Hosts two community fridges in building lobbies and the cold room in a ground-floor unit.",
                ACCEPTED,
            ),
        ],
        "delivery": "cooperative",
        "capital": 160_000,
        "operating": 230_000,
        "ask": 110_000,
        "impacts": [
            ("waste_diverted", 210, "t_per_year", 2027),
            ("residents_served", 3500, "people", 2027),
            ("jobs_created", 4, "jobs", 2027),
        ],
        "district": "Old Town",
        "point": ("45.504700", "-73.553400"),
        "status": "submitted",
        "age": 16,
        "body": """
## Context

Old Town's restaurants, bakeries and grocers throw away food that is still good every evening: bread, prepared dishes, fruit and vegetables that will not sell the next day. The harbour food bank turns people away at the end of each month. Three community fridges run by volunteers in the district are often empty by noon.

## What we propose

- Evening collection rounds by two refrigerated cargo bikes, 60 businesses, six evenings a week.
- A cold room in a Harbourline ground-floor unit where food is checked, labelled and sorted.
- Five community fridges stocked twice a day, two of them in Harbourline lobbies, open to anyone.
- The harbour food bank receives prepared dishes and fresh produce three times a week.
- Whatever cannot be eaten goes to Compost & Co's composting.
- A cooperative of volunteers and paid staff runs it; businesses pay a small monthly fee, lower than their waste bill savings.

## Who does what

| Who | What |
| --- | --- |
| Compost & Co | rounds, cold room, composting of leftovers |
| Healthy Streets Alliance | food safety training, nutrition workshops |
| Harbourline Homes | space for the cold room and two fridges |
| Businesses | food, and a monthly fee |
| City | start-up grant, food-safety guidance |

## Timeline

1. Cold room and bikes: months 1–3.
2. First 20 businesses and two fridges: month 4.
3. All 60 businesses and five fridges: month 9.

## Risks

Food safety is the main concern: only food that is cooled and labelled is accepted, volunteers are trained, and a public health inspector reviewed the process. Volunteers come and go; four paid posts keep the rounds running every evening.
""",
    },
    {
        "title": "Cooling and warming centres in six libraries, with solar panels and batteries to stay open during outages",
        "summary": "During heat waves, ice storms and power cuts, residents without air conditioning or heat need a safe place nearby. The utility, Healthy Streets Alliance and SolarRoof Collective propose to equip six libraries with solar roofs, batteries and efficient heat pumps so they can stay open as cooling or warming centres for 72 hours without the grid.",
        "sectors": ["health", "energy", "safety"],
        "lead": UTILITY,
        "partners": [
            (
                HEALTHY,
                "partner",
                "Volunteer rota during emergencies; outreach to isolated residents.",
                ACCEPTED,
            ),
            (
                SOLAR,
                "partner",
                "Solar roofs on the six libraries, about 330 kWp in total.",
                ACCEPTED,
            ),
        ],
        "delivery": "public_procurement",
        "capital": 2_200_000,
        "operating": 40_000,
        "ask": 1_900_000,
        "impacts": [
            ("residents_served", 20000, "people", 2028),
            ("energy_produced", 310, "mwh_per_year", 2028),
        ],
        "district": "North",
        "status": "submitted",
        "age": 52,
        "body": """
## Context

The ice storm two winters ago left 40,000 Riverbend homes without power for up to four days. Last summer's heat wave sent hundreds of older residents to hospital. In both cases, the places people could go to were far away, and some had no power themselves. Libraries are in every district, known, accessible and trusted.

## What we propose

- Solar roofs on six libraries (North, North Avenue, South, Riverside, Harbour, University).
- A battery in each, sized to run lights, heat pumps in one large room, phone charging and a fridge for medicines for 72 hours with the solar panels.
- Heat pumps replacing old rooftop units, giving both heating and cooling.
- Cots, blankets, water and a first-aid kit stored on site.
- On ordinary days the batteries lower the libraries' peak electricity demand and the panels cut their bills.

| Library | District | Battery |
| --- | --- | --- |
| North Central | North | 200 kWh |
| North Avenue | North | 120 kWh |
| Foundry Street | South | 200 kWh |
| Riverside | Riverside | 150 kWh |
| Harbour | Harbour | 120 kWh |
| College Road | University | 150 kWh |

## Who does what

The utility designs the energy systems and manages the procurement. SolarRoof installs the solar roofs. Healthy Streets Alliance organises volunteers and calls isolated residents during alerts. The library service trains staff to open the centres.

## Timeline

Two libraries before next summer; the other four within 18 months.

## Risks

Libraries have old roofs: two need repairs first, included in the budget. Staff may not be available in an emergency: the volunteer rota covers nights. Batteries in public buildings follow the fire service's storage rules.
""",
    },
    {
        "title": "A digital twin of Old Town's storm-water network to plan green infrastructure and prevent basement floods",
        "summary": "The Urban Lab proposes an open, calibrated model of Old Town's 1890s combined sewer network, fed by live sensors, so that the city and residents can test where rain gardens, green roofs or storage tanks would prevent the most basement floods and overflows before spending money on them.",
        "sectors": ["water", "digital", "safety"],
        "lead": LAB,
        "partners": [
            (
                UTILITY,
                "partner",
                "Network plans, flow data and 20 new flow sensors; will use the model for its capital plan.",
                ACCEPTED,
            ),
            (
                CIVITAS,
                "partner",
                "Catalogue of green-infrastructure options with costs, tested in the model.",
                ACCEPTED,
            ),
        ],
        "delivery": "grant",
        "capital": 780_000,
        "operating": 120_000,
        "ask": 350_000,
        "impacts": [
            ("residents_served", 45000, "people", 2027),
        ],
        "district": "Old Town",
        "status": "submitted",
        "age": 67,
        "body": """
## Context

Old Town's sewers were laid between 1885 and 1920 and carry both sewage and rain. In heavy storms they overflow into the river about 25 times a year and back up into basements. The city and the utility plan to spend about 80 M CAD on the network over ten years, choosing between large underground tanks and many small green measures. Today, those choices are made with a model that was last calibrated in 2009.

## What we propose

- A detailed hydraulic model of the 140 km Old Town network, calibrated with 20 new flow sensors and 30 rain gauges.
- Live updates during storms, showing which parts of the network are near capacity.
- A catalogue of measures (rain gardens, green roofs, permeable paving, disconnected downspouts, tanks) whose effect can be tested street by street.
- An open web map where residents see the flood risk of their street and the measures planned.
- All model files and data published under an open licence.

## Who does what

1. **Urban Lab**: model, calibration, web map, training of utility engineers.
2. **Riverbend Energy & Water**: plans, sensors, and using the model for its capital plan.
3. **Atelier Civitas**: catalogue of measures and their costs.

| Milestone | Month |
| --- | --- |
| Sensors installed | 4 |
| First calibrated model | 10 |
| Web map online | 12 |
| Scenario report for the capital plan | 15 |

## Risks

Old network plans are incomplete: about 8 % of pipes need to be surveyed by camera, which is budgeted. A model is only useful if it is used; the utility commits to testing every project of its Old Town capital plan in it before design.
""",
    },
    {
        "title": "Heat recovery from the main sewer to heat the University aquatic centre and 310 new homes",
        "summary": "Waste water in the College Road trunk sewer stays at 12–20 °C all year. Riverbend Energy & Water proposes heat exchangers in the sewer and a heat pump plant to heat the university aquatic centre and the 310 homes Harbourline is building across the street, replacing gas boilers.",
        "sectors": ["energy", "water", "housing"],
        "lead": UTILITY,
        "partners": [
            (
                HOMES,
                "partner",
                "Connects its 310 new homes on College Road to the system instead of installing gas boilers.",
                ACCEPTED,
            ),
            (
                BUILDERS,
                "partner",
                "Installs the heat exchangers in the sewer during its planned relining.",
                ACCEPTED,
            ),
            (
                CAPITAL,
                "financer",
                "Private finance for the heat pump plant, repaid through the heat tariff.",
                ACCEPTED,
            ),
        ],
        "delivery": "ppp",
        "capital": 8_900_000,
        "operating": 260_000,
        "ask": 2_400_000,
        "impacts": [
            ("energy_saved", 6200, "mwh_per_year", 2029),
            ("co2_avoided", 1150, "t_co2_per_year", 2029),
            ("homes", 310, "homes", 2029),
        ],
        "district": "University",
        "point": ("45.503500", "-73.588200"),
        "status": "submitted",
        "age": 79,
        "body": """
## Context

The College Road trunk sewer carries about 250 litres of waste water per second, at 12 °C in winter and 20 °C in summer: a reliable heat source next to the street. The university aquatic centre across the road burns gas to heat its pools all year. Harbourline is about to build 310 homes on the other side and must choose a heating system now. The sewer itself is due for relining in two years.

## What we propose

- Heat exchangers installed on 200 m of the sewer floor during the relining, so the street is opened only once.
- A 3 MW heat pump plant in the aquatic centre's basement, producing heat at 65 °C.
- A short network (900 m) linking the plant to the aquatic centre and the new homes.
- In summer, the same system cools the new homes and rejects heat into the sewer.

| Customer | Heat per year |
| --- | --- |
| Aquatic centre | 5,800 MWh |
| 310 new homes | 2,600 MWh |

## Who does what

- **Riverbend Energy & Water**: design, operation, billing; owns the system.
- **Northgate Builders**: sewer works with the relining.
- **Green Bridge Capital**: finances the heat pump plant under a 25-year partnership with the utility.
- **Harbourline Homes**: connects its new homes.
- **City**: pays the extra cost of the sewer works and guarantees the aquatic centre's heat purchase.

## Timeline

Design in year one, sewer works with the relining in year two, plant commissioned in year three in time for the first Harbourline residents.

## Risks

Biofilm on the exchangers lowers their output; the design includes a cleaning routine and a 20 % margin. If sewer flows fall in a dry period, a gas boiler in the aquatic centre stays as back-up. The timing with the relining is critical: if the relining moves, the project moves with it.
""",
    },
    {
        "title": "Floating solar panels on the harbour basin, supplying the data centre",
        "summary": "SolarRoof Collective proposes 4 MW of floating solar panels on the unused eastern harbour basin, with the power sold directly to the harbour data centre under a 20-year contract, and part of the income paid to the harbour authority for the water surface.",
        "sectors": ["energy", "water", "finance"],
        "lead": SOLAR,
        "partners": [
            (
                DATA_CENTRE,
                "partner",
                "Buys all the power under a 20-year contract at a fixed price.",
                ACCEPTED,
            ),
            (
                UTILITY,
                "operator",
                "Grid connection and balancing.",
                ACCEPTED,
            ),
        ],
        "delivery": "concession",
        "capital": 7_800_000,
        "operating": 140_000,
        "ask": 500_000,
        "impacts": [
            ("energy_produced", 4600, "mwh_per_year", 2028),
            ("co2_avoided", 210, "t_co2_per_year", 2028),
        ],
        "district": "Harbour",
        "point": ("45.498200", "-73.535900"),
        "status": "rejected",
        "age": 195,
        "answers": {
            "under_review": "Under review with the harbour authority, which manages the basin.",
            "rejected": "Thank you for a well-prepared proposal. We cannot take it forward on the harbour basin: the harbour authority keeps the eastern basin free as a winter refuge for boats and for emergency vessels, and the ecological survey found a spawning area along its south bank. The idea itself is good. The utility's raw-water reservoir in the North district has no such constraints, and we would welcome a new proposal there; the sustainability office is happy to introduce you to the reservoir team.",
        },
        "body": """
## Context

The eastern harbour basin (about 9 ha) has not been used for cargo since the container terminal moved downstream. The data centre next to it buys 100 GWh of electricity a year and wants a local, fixed-price renewable supply. Rooftop space in the harbour is limited, while the water surface is large, flat and unshaded.

## What we propose

- 4 MWp of floating solar panels on about 5 ha of the basin, anchored to the basin floor and designed for ice.
- A direct line to the data centre, 300 m away, with grid back-up.
- A 20-year power purchase agreement with the data centre at a fixed price.
- A yearly fee to the harbour authority for the water surface.
- Monitoring of water temperature, oxygen and fish with the university.

## Who does what

| Who | Role |
| --- | --- |
| SolarRoof Collective | design, finance, build, operation |
| Harbour Data Centre | buyer of the power |
| Riverbend Energy & Water | connection, balancing |
| Harbour authority | concession for the water surface |

## Timeline

Studies and concession in the first year; construction over the second summer.

## Risks

- Ice: floats are designed to rise with ice and anchors to move with water levels.
- Navigation: the array keeps a 60 m channel free.
- Ecology: panels shade the water, which may affect fish; the monitoring plan covers it.
- Storm damage: the array is rated for the winds recorded in the harbour over the last 50 years.
""",
    },
    {
        "title": "Autonomous electric shuttle between the University campus and the harbour",
        "summary": "ShareWheels and the Urban Lab propose a two-year pilot of four autonomous electric shuttles on a 3.2 km route between the University campus and the harbour, with a safety operator on board during the first year.",
        "sectors": ["mobility", "digital", "safety"],
        "lead": SHARE,
        "partners": [
            (
                LAB,
                "research",
                "Safety evaluation, rider surveys and open publication of incident data.",
                ACCEPTED,
            ),
            (
                CAPITAL,
                "financer",
                "Asked to co-finance the vehicles.",
                DECLINED,
            ),
        ],
        "delivery": "ppp",
        "capital": 3_200_000,
        "operating": 900_000,
        "ask": 1_600_000,
        "impacts": [
            ("car_trips_avoided", 40000, "trips_per_year", 2027),
            ("commute_minutes_saved", 4, "minutes_per_trip", 2027),
        ],
        "district": "University",
        "status": "rejected",
        "age": 172,
        "answers": {
            "rejected": "Thank you to ShareWheels and the Urban Lab for a thoughtful proposal and for the open discussion at the mobility committee. We are not taking it forward for now: the provincial framework for driverless vehicles on mixed streets is still being written, winter operation has not been demonstrated in comparable conditions, and the same budget would add a bus-priority lane and 10-minute service on route 8, which serves this link today. We would gladly look at a new proposal once the provincial rules are in place, and the Urban Lab's rider research would be welcome in the route 8 improvements.",
        },
        "body": """
## Context

There is no direct transit link between the University campus and the harbour, 3.2 km apart; route 8 runs every 20 minutes and takes 22 minutes with its detour. About 4,000 students, researchers and harbour workers travel between the two every day, mostly by car or ride-hailing. Autonomous shuttles have been piloted in several cities on similar short routes.

## What we propose

- Four electric autonomous shuttles (12 passengers each), running every 8 minutes from 7:00 to 21:00 on weekdays.
- A fixed route on existing streets, with five stops, at a maximum speed of 25 km/h.
- A safety operator on board during the first year, removed only with the province's approval.
- Free rides during the pilot; riders give feedback in the app.
- Open publication of every incident and disengagement.

## Who does what

| Who | What |
| --- | --- |
| ShareWheels | operations, vehicles (leased), app |
| Urban Lab | safety evaluation, rider research |
| City | route, stops, traffic signal priority |

## Timeline

Approvals in the first six months; testing without passengers over three months; two years of service.

## Risks

- Winter: lidar performance in snow is a known weakness; operations would pause in heavy snowfall.
- Regulation: the province must authorise the pilot.
- Cost: the operating cost per rider is high during the pilot because of the on-board operators.
""",
    },
]
