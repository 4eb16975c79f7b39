"""GST facts Zoho Books wants on an Indian contact."""

# The first two digits of a GSTIN → Zoho's place_of_contact (state code).
GST_STATES = {
    "01": "JK", "02": "HP", "03": "PB", "04": "CH", "05": "UT", "06": "HR", "07": "DL", "08": "RJ",
    "09": "UP", "10": "BR", "11": "SK", "12": "AR", "13": "NL", "14": "MN", "15": "MZ", "16": "TR",
    "17": "ML", "18": "AS", "19": "WB", "20": "JH", "21": "OR", "22": "CG", "23": "MP", "24": "GJ",
    "26": "DN", "27": "MH", "29": "KA", "30": "GA", "31": "LD", "32": "KL", "33": "TN", "34": "PY",
    "35": "AN", "36": "TG", "37": "AD", "38": "LA",
}


def contact_gst(gstin):
    """``{gst_treatment, gst_no, place_of_contact}`` for a customer with or without a GSTIN."""
    if not gstin:
        return {"gst_treatment": "consumer"}
    values = {"gst_treatment": "business_gst", "gst_no": gstin}
    state = GST_STATES.get(gstin[:2])
    if state:
        values["place_of_contact"] = state
    return values
