#!/usr/bin/env bash
# The vendor's three curl examples, "Beispiele" on its Cascade page
# (shared/seed/000_382f4eb6e05da10c.txt), as published, but for the changes marked "changed":
# the host and the API key come from CASCADE_BASE_URL and CASCADE_API_KEY (the vendor's values
# are the defaults), the placeholder number +380XXXXXXXXX is a real-looking one, and each answer
# ends with a newline, so that the three read as three lines.
set -euo pipefail                                                      # changed
BASE_URL="${CASCADE_BASE_URL:-https://restapi.smsbat.com}"             # changed
API_KEY="${CASCADE_API_KEY:-your-api-key}"                             # changed

# Grundlegende Transaktion
curl -X POST "$BASE_URL"/api/CascadeMessage/send_message/async \
  -H "Content-Type: application/json" \
  -H "X-Authorization-Key: $API_KEY" \
  -d '[
    {
      "id": "tx-001",
      "fromName": "YourBank",
      "toPhone": "+380501234567",
      "messageType": "transaction",
      "text": "Payment of $100 was successful. Transaction ID: ABC123"
    }
  ]'
echo                                                                   # changed

# Geplante Aktion
curl -X POST "$BASE_URL"/api/CascadeMessage/send_message/async \
  -H "Content-Type: application/json" \
  -H "X-Authorization-Key: $API_KEY" \
  -d '[
    {
      "id": "promo-001",
      "fromName": "YourStore",
      "toPhone": "+380501234567",
      "messageType": "promo",
      "text": "Flash Sale starts in 1 hour! Visit: https://example.com",
      "scheduledSent": "2025-01-25T09:00:00Z",
      "ttl": 3600
    }
  ]'
echo                                                                   # changed

# Massennachrichten
curl -X POST "$BASE_URL"/api/CascadeMessage/send_message/async \
  -H "Content-Type: application/json" \
  -H "X-Authorization-Key: $API_KEY" \
  -d '[
    {
      "id": "bulk-001",
      "fromName": "YourBrand",
      "toPhone": "+380111111111",
      "messageType": "transaction",
      "text": "Message 1"
    },
    {
      "id": "bulk-002",
      "fromName": "YourBrand",
      "toPhone": "+380222222222",
      "messageType": "transaction",
      "text": "Message 2"
    },
    {
      "id": "bulk-003",
      "fromName": "YourBrand",
      "toPhone": "+380333333333",
      "messageType": "transaction",
      "text": "Message 3"
    }
  ]'
echo                                                                   # changed
