"""The actors a fresh database knows: the Sahel groups, forces and bodies Mali reports name.

Plain data, registered through the actor services after `migrate` (see actors/apps.py), each
with an idempotency key so running it again writes nothing. Relations carry ISO dates where known.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SeedActor:
    key: str  # stable handle, also the idempotency key's stem; never shown to users
    name: str
    kind: str  # one of actors.models.ActorKind values
    short_name: str | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SeedRelation:
    subject: str  # SeedActor.key
    kind: str  # one of actors.models.RelationKind values
    object: str  # SeedActor.key
    since: str | None = None  # YYYY-MM-DD, or YYYY-MM-01 / YYYY-01-01 when only month / year known
    until: str | None = None


SEED_ACTORS: tuple[SeedActor, ...] = (
    # Jihadist groups
    SeedActor(
        key="jnim",
        name="Jama'at Nusrat al-Islam wal-Muslimin",
        short_name="JNIM",
        kind="jihadist_group",
        aliases=(
            "GSIM",
            "Group to Support Islam and Muslims",
            "Group for the Support of Islam and Muslims",
            "Jamaat Nusrat al-Islam wal Muslimeen",
            "Jama'at Nusrat al-Islam wal Muslimeen",
            "Jamaat Nusrat al-Islam wal-Muslimin",
            "Nusrat al-Islam",
        ),
    ),
    SeedActor(
        key="aqim",
        name="al-Qaeda in the Islamic Maghreb",
        short_name="AQIM",
        kind="jihadist_group",
        aliases=("Al-Qaeda in the Islamic Maghreb", "al-Qaida in the Islamic Maghreb"),
    ),
    SeedActor(
        key="al-qaeda",
        name="al-Qaeda",
        kind="jihadist_group",
        aliases=("al Qaeda", "al-Qaida", "Al-Qaeda", "al Qaida"),
    ),
    SeedActor(
        key="gspc",
        name="Salafist Group for Preaching and Combat",
        short_name="GSPC",
        kind="jihadist_group",
        aliases=("Algerian Salafist Group for Preaching and Combat",),
    ),
    SeedActor(
        key="ansar-dine",
        name="Ansar al-Dine",
        short_name="AAD",
        kind="jihadist_group",
        aliases=("Ansar Dine", "Ansar Eddine", "Ansar ad-Din"),
    ),
    SeedActor(
        key="katiba-macina",
        name="Katiba Macina",
        short_name="MLF",
        kind="jihadist_group",
        aliases=(
            "Macina Liberation Front",
            "Katibat Macina",
            "Front de Libération du Macina",
            "Katiba Massina",
            "FLM",
        ),
    ),
    SeedActor(
        key="al-mourabitoun",
        name="al-Mourabitoun",
        kind="jihadist_group",
        aliases=("Al-Mourabitoun", "al-Murabitun", "al Mourabitoun", "Al Mourabitoun"),
    ),
    SeedActor(
        key="amb",
        name="al-Mulathamun Battalion",
        short_name="AMB",
        kind="jihadist_group",
        aliases=(
            "al-Mulathamun Batallion",
            "Al-Mulathameen Brigade",
            "Those Who Sign in Blood",
            "Masked Men Brigade",
        ),
    ),
    SeedActor(
        key="mujao",
        name="Movement for Unity and Jihad in West Africa",
        short_name="MUJAO",
        kind="jihadist_group",
        aliases=("MOJWA", "Movement for Oneness and Jihad in West Africa"),
    ),
    SeedActor(
        key="ansarul-islam",
        name="Ansarul Islam",
        kind="jihadist_group",
        aliases=(
            "Ansaroul Islam",
            "Ansar-ul-Islam",
            "Ansar ul Islam",
            "Ansar-ul-Islam lil-Ichad wal Jihad",
            "IRSAD",
        ),
    ),
    SeedActor(
        key="isis",
        name="Islamic State",
        short_name="ISIS",
        kind="jihadist_group",
        aliases=("ISIL", "IS", "Islamic State of Iraq and Syria", "Islamic State group"),
    ),
    SeedActor(
        key="isgs",
        name="Islamic State in the Greater Sahara",
        short_name="ISGS",
        kind="jihadist_group",
        aliases=("Islamic State in Greater Sahara", "IS Greater Sahara", "EIGS"),
    ),
    SeedActor(
        key="is-sahel",
        name="Islamic State Sahel Province",
        short_name="IS Sahel",
        kind="jihadist_group",
        aliases=("Islamic State in the Sahel", "Islamic State in the Sahel Province", "ISSP"),
    ),
    SeedActor(
        key="lakurawa",
        name="Lakurawa",
        kind="jihadist_group",
        aliases=("Laukawas", "Lakurawas"),
    ),
    SeedActor(
        key="iswap",
        name="Islamic State West Africa Province",
        short_name="ISWAP",
        kind="jihadist_group",
        aliases=("Islamic State in West Africa Province", "Islamic State in West Africa"),
    ),
    SeedActor(
        key="boko-haram",
        name="Boko Haram",
        kind="jihadist_group",
        aliases=("Jama'atu Ahlis Sunna Lidda'awati wal-Jihad", "JAS"),
    ),
    # Separatist groups
    SeedActor(
        key="mnla",
        name="National Movement for the Liberation of Azawad",
        short_name="MNLA",
        kind="separatist_group",
        aliases=("Mouvement National pour la Libération de l'Azawad",),
    ),
    SeedActor(
        key="cma",
        name="Coordination of Azawad Movements",
        short_name="CMA",
        kind="separatist_group",
        aliases=(
            "Coalition of Azawad Movements",
            "Coordination des mouvements de l'Azawad",
            "Coordination des Mouvements de l'Azawad",
        ),
    ),
    SeedActor(
        key="csp-dpa",
        name="Strategic Framework for the Defense of the People of Azawad",
        short_name="CSP-DPA",
        kind="separatist_group",
        aliases=(
            "Permanent Strategic Framework for Peace, Security and Development",
            "CSP-PSD",
            "Cadre stratégique permanent",
        ),
    ),
    SeedActor(
        key="platforme",
        name="Platform coalition",
        kind="militia",
        aliases=("Platforme", "Platforme coalition", "the Platform"),
    ),
    # State and foreign forces
    SeedActor(
        key="fama",
        name="Malian Armed Forces",
        short_name="FAMa",
        kind="state_force",
        aliases=(
            "Forces Armées Maliennes",
            "Malian army",
            "Mali's armed forces",
            "Malian armed forces",
            "Malian military",
            "Malian troops",
            "Malian soldiers",
            "Malian forces",
        ),
    ),
    SeedActor(
        key="niger-armed-forces",
        name="Niger Armed Forces",
        kind="state_force",
        aliases=(
            "Forces Armées Nigériennes",
            "Nigerien army",
            "Nigerien armed forces",
            "Nigerien military",
            "Nigerien troops",
            "Nigerien soldiers",
            "Nigerien forces",
        ),
    ),
    SeedActor(
        key="burkina-armed-forces",
        name="Armed Forces of Burkina Faso",
        kind="state_force",
        aliases=(
            "Forces Armées Burkinabè",
            "Burkinabe army",
            "Burkinabe armed forces",
            "Burkinabe military",
            "Burkinabe troops",
            "Burkinabe soldiers",
            "Burkinabe forces",
        ),
    ),
    SeedActor(
        key="vdp",
        name="Volunteers for the Defence of the Homeland",
        short_name="VDP",
        kind="militia",
        aliases=(
            "Volontaires pour la défense de la patrie",
            "Volunteers for the Defense of the Homeland",
        ),
    ),
    SeedActor(
        key="gsign",
        name="Groupement Spécial d'Intervention de la Gendarmerie Nationale",
        short_name="GSIGN",
        kind="state_force",
        aliases=("Groupement Spéciale d'Intervention de la Gendarmerie Nationale",),
    ),
    SeedActor(
        key="cnsp",
        name="National Committee for the Salvation of the People",
        short_name="CNSP",
        kind="state_force",
        aliases=("Comité national pour le salut du peuple",),
    ),
    SeedActor(
        key="wagner",
        name="Wagner Group",
        kind="foreign_force",
        aliases=("Wagner", "the Wagner Group", "Wagner mercenaries", "PMC Wagner"),
    ),
    SeedActor(
        key="africa-corps",
        name="Africa Corps",
        kind="foreign_force",
        aliases=("Russian Africa Corps", "Expeditionary Corps"),
    ),
    SeedActor(
        key="french-forces",
        name="French armed forces",
        kind="foreign_force",
        aliases=(
            "French forces",
            "French troops",
            "French soldiers",
            "French army",
            "French military",
            "French ground forces",
        ),
    ),
    SeedActor(
        key="barkhane",
        name="Operation Barkhane",
        kind="foreign_force",
        aliases=("Barkhane",),
    ),
    SeedActor(
        key="serval",
        name="Operation Serval",
        kind="foreign_force",
        aliases=("Operation Sérval", "Serval", "Sérval"),
    ),
    SeedActor(
        key="takuba",
        name="Takuba Task Force",
        kind="foreign_force",
        aliases=("Task Force Takuba", "Takuba"),
    ),
    SeedActor(
        key="gur",
        name="Main Directorate of Intelligence of Ukraine",
        short_name="GUR",
        kind="state_force",
        aliases=("Ukraine's military intelligence", "HUR"),
    ),
    # International bodies
    SeedActor(
        key="minusma",
        name="United Nations Multidimensional Integrated Stabilization Mission in Mali",
        short_name="MINUSMA",
        kind="international_body",
        aliases=("U.N. Multidimensional Integrated Stabilization Mission in Mali",),
    ),
    SeedActor(
        key="afisma",
        name="African-led International Support Mission to Mali",
        short_name="AFISMA",
        kind="international_body",
    ),
    SeedActor(
        key="g5-sahel",
        name="G5 Sahel",
        kind="international_body",
        aliases=("G5 Sahel Joint Force", "G5"),
    ),
    SeedActor(
        key="ecowas",
        name="Economic Community of West African States",
        short_name="ECOWAS",
        kind="international_body",
    ),
    SeedActor(
        key="aes",
        name="Alliance of Sahel States",
        short_name="AES",
        kind="international_body",
        aliases=("Alliance des États du Sahel",),
    ),
    # People
    SeedActor(
        key="iyad-ag-ghaly",
        name="Iyad Ag Ghaly",
        kind="person",
        aliases=("Iyad ag Ghali", "Iyad Ag Ghali"),
    ),
    SeedActor(key="amadou-koufa", name="Amadou Koufa", kind="person"),
    SeedActor(
        key="abdelmalek-droukdel",
        name="Abdelmalek Droukdel",
        kind="person",
        aliases=("Abdelmalek Droukdal",),
    ),
    SeedActor(key="mokhtar-belmokhtar", name="Mokhtar Belmokhtar", kind="person"),
    SeedActor(
        key="adnan-abu-walid-al-sahrawi",
        name="Adnan Abu Walid al-Sahrawi",
        kind="person",
    ),
    SeedActor(key="malam-ibrahim-dicko", name="Malam Ibrahim Dicko", kind="person"),
    SeedActor(key="bah-ag-moussa", name="Bah ag Moussa", kind="person"),
    SeedActor(key="ali-maychou", name="Ali Maychou", kind="person"),
    SeedActor(key="yahia-abou-hamman", name="Yahia Abou Hamman", kind="person"),
)

SEED_RELATIONS: tuple[SeedRelation, ...] = (
    SeedRelation(subject="aqim", kind="merged_into", object="jnim", since="2017-03-01"),
    SeedRelation(subject="ansar-dine", kind="merged_into", object="jnim", since="2017-03-01"),
    SeedRelation(subject="al-mourabitoun", kind="merged_into", object="jnim", since="2017-03-01"),
    SeedRelation(subject="katiba-macina", kind="merged_into", object="jnim", since="2017-03-01"),
    SeedRelation(subject="jnim", kind="affiliate_of", object="al-qaeda", since="2017-03-01"),
    SeedRelation(subject="aqim", kind="affiliate_of", object="al-qaeda", since="2007-01-01"),
    SeedRelation(subject="gspc", kind="renamed_to", object="aqim", since="2007-01-01"),
    SeedRelation(
        subject="katiba-macina", kind="affiliate_of", object="ansar-dine", since="2015-01-01"
    ),
    SeedRelation(subject="mujao", kind="splinter_of", object="aqim", since="2011-01-01"),
    SeedRelation(subject="amb", kind="splinter_of", object="aqim", since="2012-12-01"),
    SeedRelation(subject="amb", kind="merged_into", object="al-mourabitoun", since="2013-08-01"),
    SeedRelation(subject="mujao", kind="merged_into", object="al-mourabitoun", since="2013-08-01"),
    SeedRelation(subject="isgs", kind="splinter_of", object="al-mourabitoun", since="2015-05-01"),
    SeedRelation(subject="isgs", kind="affiliate_of", object="isis", since="2015-05-01"),
    SeedRelation(subject="isgs", kind="renamed_to", object="is-sahel", since="2022-03-01"),
    SeedRelation(subject="is-sahel", kind="affiliate_of", object="isis", since="2022-03-01"),
    SeedRelation(subject="lakurawa", kind="affiliate_of", object="is-sahel", since="2024-01-01"),
    SeedRelation(subject="iswap", kind="affiliate_of", object="isis", since="2015-03-01"),
    SeedRelation(subject="iswap", kind="splinter_of", object="boko-haram", since="2016-08-01"),
    SeedRelation(subject="ansarul-islam", kind="affiliate_of", object="jnim", since="2017-03-01"),
    SeedRelation(subject="wagner", kind="renamed_to", object="africa-corps", since="2023-11-01"),
    SeedRelation(
        subject="barkhane", kind="affiliate_of", object="french-forces", since="2014-08-01"
    ),
    SeedRelation(subject="serval", kind="renamed_to", object="barkhane", since="2014-08-01"),
    SeedRelation(subject="serval", kind="affiliate_of", object="french-forces", since="2013-01-11"),
    SeedRelation(subject="takuba", kind="affiliate_of", object="french-forces", since="2020-03-27"),
    SeedRelation(subject="iyad-ag-ghaly", kind="leader_of", object="jnim", since="2017-03-01"),
    SeedRelation(
        subject="iyad-ag-ghaly", kind="leader_of", object="ansar-dine", since="2012-01-01"
    ),
    SeedRelation(
        subject="amadou-koufa", kind="leader_of", object="katiba-macina", since="2015-01-01"
    ),
    SeedRelation(
        subject="abdelmalek-droukdel",
        kind="leader_of",
        object="aqim",
        since="2004-01-01",
        until="2020-06-03",
    ),
    SeedRelation(subject="mokhtar-belmokhtar", kind="leader_of", object="amb", since="2012-12-01"),
    SeedRelation(
        subject="adnan-abu-walid-al-sahrawi",
        kind="leader_of",
        object="isgs",
        since="2015-05-01",
        until="2021-08-17",
    ),
    SeedRelation(
        subject="malam-ibrahim-dicko", kind="leader_of", object="ansarul-islam", since="2016-12-01"
    ),
    SeedRelation(subject="bah-ag-moussa", kind="leader_of", object="jnim", until="2020-11-10"),
    SeedRelation(subject="ali-maychou", kind="leader_of", object="jnim", until="2019-10-09"),
    SeedRelation(subject="yahia-abou-hamman", kind="leader_of", object="jnim", until="2019-02-21"),
)
