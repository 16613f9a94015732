package sqlstore

import (
	"context"
	"time"
)

// BindOfficer records that an officer signed in on a device.
func (t *Tx) BindOfficer(ctx context.Context, deviceID, officerID string, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO device_officers (device_id, officer_id, since) VALUES (?, ?, ?)
		ON CONFLICT (device_id, officer_id) DO UPDATE SET since = excluded.since`, deviceID, officerID, us(at))
	return err
}

// DeviceOfficers lists the officers signed in on a device.
func (t *Tx) DeviceOfficers(ctx context.Context, deviceID string) ([]string, error) {
	rows, err := t.query(ctx, `SELECT officer_id FROM device_officers WHERE device_id = ? ORDER BY officer_id`, deviceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
